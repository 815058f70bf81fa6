from django.urls import path

from orgs.views import public

app_name = "directory"
urlpatterns = [
    path("", public.organization_list, name="list"),
    path("<int:pk>/", public.organization_detail, name="detail"),
]
