"""RSS feed of the latest published articles (/news/feed/): titles, summaries, publish times, nothing else."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news import selectors
from news.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description = _("News, showcases and notices of Party building in social organizations.")

    def title(self) -> str:
        return f"{settings.FEDERATION_NAME} · {_('News')}"

    def link(self) -> str:
        return reverse("news:list")

    def items(self) -> QuerySet[Article]:
        return selectors.article_cards()[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Any) -> str:  # an article card, annotated with `excerpt`
        # Author names and linked people never go out: the summary (or the text's start) only.
        return item.summary or item.excerpt

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.get_kind_display()]
