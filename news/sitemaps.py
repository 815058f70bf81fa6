"""/sitemap.xml: an index of the public pages, news articles, the directory's organization pages,
public events and public alliances."""

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse

from accounts.actors import PUBLIC
from alliances.models import Alliance
from events.models import Event
from news.models import Article
from orgs.models import Organization


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["public:home", "news:list", "directory:list", "events:calendar", "alliances:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Article]:
        return Article.objects.visible_to(PUBLIC).only("id", "updated_at").order_by("id")

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 10_000  # per sitemap page: a country-size registry is split into pages by the index

    def items(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(PUBLIC).only("id", "updated_at").order_by("id")

    def location(self, item: Model) -> str:
        return reverse("directory:detail", args=[item.pk])

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 10_000

    def items(self) -> QuerySet[Event]:
        return Event.objects.visible_to(PUBLIC).only("id", "updated_at").order_by("id")

    def location(self, item: Model) -> str:
        return reverse("events:detail", args=[item.pk])

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at


class AllianceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Alliance]:
        return Alliance.objects.visible_to(PUBLIC).only("id").order_by("id")

    def location(self, item: Model) -> str:
        return reverse("alliances:detail", args=[item.pk])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "news": ArticleSitemap,
    "organizations": OrganizationSitemap,
    "events": EventSitemap,
    "alliances": AllianceSitemap,
}
