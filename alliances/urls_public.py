from django.urls import path

from alliances.views import public
from config.page_cache import cache_public_page

app_name = "alliances"
urlpatterns = [
    path("", cache_public_page(public.alliance_list), name="list"),
    path("<int:pk>/", cache_public_page(public.alliance_detail), name="detail"),
    path("rounds/<int:pk>/", cache_public_page(public.round_results), name="round"),
]
