"""Writes for accounts: users and the notifications inbox."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Notification, User


def api_tokens_revoke(*, user: User) -> int:
    """Revoke every API token of `user` (password change, "log out everywhere"); returns how many."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def notification_send(
    *, recipient: User, title: str, body: str = "", url: str = "", level: str = "info", dedupe_key: str = ""
) -> tuple[Notification, bool]:
    """Deliver to an inbox once: with a dedupe key, a second send returns the first row.

    Safe under concurrent senders: the unique constraint decides, not a prior read.
    """
    if dedupe_key:
        existing = Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing, False
    notification = Notification(
        recipient=recipient, title=title, body=body, url=url, level=level, dedupe_key=dedupe_key
    )
    notification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if not dedupe_key:
            raise
        return Notification.objects.get(recipient=recipient, dedupe_key=dedupe_key), False
    return notification, True


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())
