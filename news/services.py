"""Every write of articles. Bodies are sanitised here, on save (news.richtext), whoever calls.

`actor` is the user on whose behalf the write happens: platform staff (district or
street staff, superusers), or a SystemActor for the system (the demo seed); never None. Staff write any
article they can see (their own drafts, every published one); links to organizations
and party organizations must lie inside the actor's own scope.
"""

from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, is_system, require_actor
from accounts.scoping import ScopedQuerySet
from branches.models import PartyOrganization
from news.models import Article
from news.richtext import html_to_text, sanitize_html
from orgs.images import clean_uploaded_image
from orgs.models import Organization

CONTENT_FIELDS = ("kind", "title", "summary", "body", "cover")
LINK_FIELDS: dict[str, type[Model]] = {
    "organizations": Organization,
    "party_organizations": PartyOrganization,
}


def _check_actor(actor: Actor, article: Article | None = None) -> None:
    require_actor(actor)
    if is_system(actor):
        return
    if not getattr(actor, "is_platform_staff", False):
        raise PermissionDenied(_("Only district or street staff write news articles."))
    if article is not None and not Article.objects.visible_to(actor).filter(pk=article.pk).exists():
        raise PermissionDenied(_("You may only change your own drafts or published articles."))


def _check_links(actor: Actor, links: dict, current: dict) -> None:
    """Newly linked objects must lie inside the actor's scope; links already there may stay."""
    require_actor(actor)
    if is_system(actor):
        return
    errors = {}
    for name, objects in links.items():
        model = LINK_FIELDS[name]
        added = {obj.pk for obj in objects} - current.get(name, set())
        if not added:
            continue
        scoped = cast(ScopedQuerySet, model._default_manager.all())  # `objects`, their only manager
        visible = set(scoped.visible_to(actor).filter(pk__in=added).values_list("pk", flat=True))
        if added - visible:
            errors[name] = _("You may only link %(items)s inside your own scope.") % {
                "items": model._meta.verbose_name_plural
            }
    if errors:
        raise ValidationError(errors)


def _apply_cover(article: Article, cover: Any) -> None:
    """An uploaded file is checked and re-encoded (EXIF gone); False or "" removes the cover."""
    if cover is None:
        return
    if cover is False or cover == "":
        article.cover = ""
        return
    if isinstance(cover, UploadedFile) or hasattr(cover, "read"):
        try:
            article.cover = clean_uploaded_image(cover, max_side=settings.NEWS_COVER_MAX_SIDE)
        except ValidationError as exc:
            raise ValidationError({"cover": exc.messages}) from None
        return
    article.cover = cover  # a stored file name (kept as is)


def _save(article: Article, links: dict) -> Article:
    article.body = sanitize_html(article.body)
    article.body_text = html_to_text(article.body)
    article.title = article.title.strip()
    article.summary = article.summary.strip()
    article.full_clean()
    article.save()
    for name, objects in links.items():
        getattr(article, name).set(objects)
    return article


def _split(fields: dict) -> tuple[dict, dict, object]:
    unknown = set(fields) - set(CONTENT_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown article fields: {', '.join(sorted(unknown))}")
    links = {name: list(fields.pop(name)) for name in list(fields) if name in LINK_FIELDS}
    cover = fields.pop("cover", None)
    return fields, links, cover


@transaction.atomic
def article_create(*, actor: Actor, **fields: Any) -> Article:
    """A new draft by `actor`. Fields: kind, title, summary, body (HTML, sanitised here), cover
    (an uploaded image), organizations, party_organizations."""
    _check_actor(actor)
    content, links, cover = _split(dict(fields))
    _check_links(actor, links, current={})
    article = Article(author=as_user(actor), status=Article.Status.DRAFT, **content)
    _apply_cover(article, cover)
    return _save(article, links)


@transaction.atomic
def article_update(*, article: Article, actor: Actor, **fields: Any) -> Article:
    """Change the given fields (row locked meanwhile); the body is sanitised again."""
    _check_actor(actor, article)
    content, links, cover = _split(dict(fields))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    current = {name: set(getattr(locked, name).values_list("pk", flat=True)) for name in links}
    _check_links(actor, links, current)
    for name, value in content.items():
        setattr(locked, name, value)
    _apply_cover(locked, cover)
    return _save(locked, links)


@transaction.atomic
def article_publish(*, article: Article, actor: Actor, at: datetime | None = None) -> Article:
    """Publish at `at` (a future time schedules it), else keep an earlier publish time, else now."""
    _check_actor(actor, article)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    errors = {}
    if not locked.title.strip():
        errors["title"] = _("An article needs a title before it is published.")
    if not locked.body_text and not locked.summary:
        errors["body"] = _("An article needs a body or a summary before it is published.")
    if errors:
        raise ValidationError(errors)
    locked.status = Article.Status.PUBLISHED
    locked.published_at = at or locked.published_at or timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


@transaction.atomic
def article_unpublish(*, article: Article, actor: Actor) -> Article:
    """Back to draft: it leaves the public pages, the feed and the sitemap at once."""
    _check_actor(actor, article)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    locked.status = Article.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def article_delete(*, article: Article, actor: Actor) -> None:
    _check_actor(actor, article)
    cover = article.cover.name if article.cover else ""
    Article.objects.filter(pk=article.pk).delete()
    if cover:
        storage = Article._meta.get_field("cover").storage
        transaction.on_commit(lambda: storage.delete(cover))
