from typing import Any

from django.conf import settings
from django.http import HttpRequest

UNREAD_BADGE_CAP = 100


def platform(request: HttpRequest) -> dict[str, Any]:
    """Names every layout shows, and the inbox badge (one COUNT, only when logged in, stopping past
    UNREAD_BADGE_CAP: the badge then reads "99+")."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.unread()[:UNREAD_BADGE_CAP].count()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "FEDERATION_NAME": settings.FEDERATION_NAME,
        "unread_notifications": unread,
    }
