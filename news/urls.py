from django.urls import path

from config.page_cache import cache_public_page
from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", cache_public_page(views.article_list), name="list"),
    path("<int:pk>/", cache_public_page(views.article_detail), name="detail"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
]
