from django.urls import path

from stats.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="home"),
    path("export.xlsx", views.export, name="export"),
]
