"""Uploaded images served by Django when no nginx stands in front (the quick start, or a deployment
without the optional nginx; docs/deploy.md).

Only the public kinds of upload are answered, and only when the row that holds the file is
visible to the reader: a published article's cover, a public organization's logo, a public
event's photos (or the same rows inside a signed-in user's scope). Everything else under /media/
(registry imports, anything not listed here) answers 404. With nginx in front, nginx serves
/media/ itself and this view is never reached.
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from accounts.actors import PUBLIC
from events.models import EventPhoto
from news.models import Article
from orgs.models import Organization

PUBLIC_MEDIA_DAYS = 1  # browsers and proxies may keep a public image this long


def _holders(name: str):
    """The querysets of rows that may hold `name`, by its upload folder, with the lookup to match."""
    if name.startswith("news/covers/"):
        return Article.objects, Q(cover=name)
    if name.startswith("orgs/logos/"):
        return Organization.objects, Q(logo=name)
    if name.startswith(("events/photos/", "events/thumbs/")):
        return EventPhoto.objects, Q(image=name) | Q(thumbnail=name)
    return None, None


@require_safe
def public_media(request, path):
    if ".." in path.split("/") or path.startswith("/"):
        raise Http404
    manager, lookup = _holders(path)
    if manager is None:
        raise Http404
    public = manager.visible_to(PUBLIC).filter(lookup).exists()
    if not public and not (
        request.user.is_authenticated and manager.visible_to(request.user).filter(lookup).exists()
    ):
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MEDIA_DAYS * 86400}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
