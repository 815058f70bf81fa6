from django.urls import path

from config.page_cache import cache_public_page
from orgs.views import public

app_name = "directory"
urlpatterns = [
    path("", cache_public_page(public.organization_list), name="list"),
    path("<int:pk>/", cache_public_page(public.organization_detail), name="detail"),
]
