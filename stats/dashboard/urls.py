from django.urls import path

from stats.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("export.xlsx", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
    path("refresh/<int:pk>/", views.refresh_status, name="refresh-status"),
]
