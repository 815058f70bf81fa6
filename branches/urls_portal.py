from django.urls import path

from branches import views

app_name = "branches_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/posts/add/", views.post_add, name="post_add"),
    path("<int:pk>/posts/<int:post_pk>/end/", views.post_end, name="post_end"),
]
