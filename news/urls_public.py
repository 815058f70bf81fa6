"""Site-level public pages (namespace "public"): home, search and the sitemap."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from config.page_cache import cache_public_page
from news import views
from news.sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("", cache_public_page(views.home), name="home"),
    path("search/", cache_public_page(views.search), name="search"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
