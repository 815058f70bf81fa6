"""Reads of articles for the public pages, each list in a fixed number of queries.

Public lists read through `visible_to(PUBLIC)` whoever is logged in: the public face shows
exactly what the public sees. Lists load only the columns a card shows.
"""

from django.db.models import QuerySet
from django.db.models.functions import Substr

from accounts.actors import PUBLIC, Actor, PublicViewer
from accounts.scoping import get_visible_or_404
from news.models import DESCRIPTION_CHARS, Article
from orgs.models import Organization
from orgs.selectors import search_organizations

CARD_FIELDS = ("id", "kind", "title", "summary", "cover", "published_at")
ORG_CARD_FIELDS = ("id", "name", "short_name", "kind", "region__name")


def article_cards(*, kind: str = "", term: str = "") -> QuerySet:
    """Published articles, newest first, with `excerpt` (the text's start) for those without a summary."""
    articles = Article.objects.visible_to(PUBLIC)
    if kind:
        articles = articles.of_kind(kind)
    if term:
        articles = articles.matching(term)
    return (
        articles.only(*CARD_FIELDS).annotate(excerpt=Substr("body_text", 1, DESCRIPTION_CHARS)).newest_first()
    )


def latest_by_kind(limits: dict[str, int]) -> dict[str, list[Article]]:
    """The latest published articles of each kind, {kind: [articles]}: one query per kind."""
    return {kind: list(article_cards(kind=kind)[:limit]) for kind, limit in limits.items()}


def article_page(*, pk: int, user: Actor | PublicViewer) -> tuple[Article, dict]:
    """One article `user` may see (staff preview their drafts), with what its page shows around it.

    Linked organizations appear only if the public directory shows them; linked party
    organizations only while active, by name.
    """
    article = get_visible_or_404(Article.objects.all(), user, pk=pk)
    context = {
        "organizations": list(
            article.organizations.all().visible_to(PUBLIC).only("id", "name").order_by("name", "id")
        ),
        "party_organizations": list(
            article.party_organizations.filter(status="active").only("id", "name").order_by("name", "id")
        ),
        "more": list(article_cards(kind=article.kind).exclude(pk=article.pk)[:5]),
    }
    return article, context


def search_everything(term: str, *, limit: int) -> dict:
    """Articles and public organizations matching `term` (substring, so two Chinese characters work).

    Up to `limit` of each, plus whether there are more (one extra row fetched, no COUNT).
    """
    articles = list(article_cards(term=term)[: limit + 1])
    organizations = list(
        search_organizations(Organization.objects.visible_to(PUBLIC), term)
        .select_related("region")
        .only(*ORG_CARD_FIELDS)
        .order_by("name", "id")[: limit + 1]
    )
    return {
        "articles": articles[:limit],
        "more_articles": len(articles) > limit,
        "organizations": organizations[:limit],
        "more_organizations": len(organizations) > limit,
    }
