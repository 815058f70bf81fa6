"""RSS feed of the latest published articles (/news/feed/): titles, summaries, publish times, nothing else."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from news import selectors

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description = _("News, showcases and notices of Party building in social organizations.")

    def title(self):
        return f"{settings.FEDERATION_NAME} · {_('News')}"

    def link(self):
        return reverse("news:list")

    def items(self):
        return selectors.article_cards()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Author names and linked people never go out: the summary (or the text's start) only.
        return item.summary or item.excerpt

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.get_kind_display()]
