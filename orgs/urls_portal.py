from django.urls import path

from orgs.views import portal

app_name = "orgs_portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("<int:pk>/", portal.organization_detail, name="detail"),
    path("<int:pk>/edit/", portal.organization_edit, name="edit"),
    path("<int:pk>/inspection/", portal.inspection_party_section, name="inspection"),
]
