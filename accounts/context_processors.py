from django.conf import settings


def platform(request):
    """Names every layout shows, and the inbox badge (one COUNT, only when logged in)."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.unread().count()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "FEDERATION_NAME": settings.FEDERATION_NAME,
        "unread_notifications": unread,
    }
