from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
]
