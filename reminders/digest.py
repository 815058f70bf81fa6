"""One digest per person per day, instead of one message per reminder (issue 14: 69 at once).

The Reminder rows keep their unique keys and each delivery its ReminderDelivery row; only what
reaches the person is grouped:

- inbox: one message per recipient and local day (dedupe key "reminders:<date>"), rewritten
  from that day's deliveries each time a job delivers more, so it lists every item of the day
  (overdue first) and turns unread again;
- e-mail: `reminders_email_digests` sends each recipient one e-mail listing every reminder
  delivered to their inbox and not e-mailed yet, and never a second one the same day (items
  delivered after it go into the next day's e-mail). Beat runs it after the morning jobs.

Both take row locks (the digest message; the recipient's account) so two workers at once
neither lose an item nor send twice.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Notification, User
from reminders.conf import reminders_setting
from reminders.models import Reminder, ReminderDelivery

logger = logging.getLogger(__name__)

DIGEST_KEY = "reminders:{day}"
PENDING_EMAIL_DAYS = 7  # inbox deliveries older than this are not e-mailed any more
STAGE_ORDER: dict[str, int] = {Reminder.Stage.OVERDUE: 0, Reminder.Stage.ESCALATED: 1, Reminder.Stage.DUE: 2}


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def link(url: str) -> str:
    return f"{reminders_setting('LINK_BASE').rstrip('/')}{url}" if url.startswith("/") else url


def _sorted(reminders: Iterable[Reminder]) -> list[Reminder]:
    return sorted(reminders, key=lambda r: (STAGE_ORDER.get(r.stage, 3), r.due_on or date.max, r.pk))


def _stage_label(reminder: Reminder) -> str:
    if reminder.stage == Reminder.Stage.DUE:
        return _("Due")
    return _("Overdue")


def _lines(reminders: list[Reminder]) -> str:
    lines = []
    for reminder in reminders:
        line = f"【{_stage_label(reminder)}】{reminder.title}"
        if reminder.url:
            line += f"\n{link(reminder.url)}"
        lines.append(line)
    return "\n\n".join(lines)


def _title(reminders: list[Reminder], day: date) -> str:
    overdue = sum(r.stage != Reminder.Stage.DUE for r in reminders)
    count = len(reminders)
    title = ngettext(
        "Reminders of %(date)s: %(count)d item", "Reminders of %(date)s: %(count)d items", count
    ) % {"date": date_format(day, "DATE_FORMAT"), "count": count}
    if overdue:
        title += _(", %(overdue)d overdue") % {"overdue": overdue}
    return title


def inbox_digest_update(recipient_ids: Iterable[int], *, day: date | None = None) -> None:
    """Write each recipient's digest message of `day` from all of that day's inbox deliveries.

    Called inside the delivering transaction, after its ReminderDelivery rows are inserted."""
    day = day or timezone.localdate()
    recipient_ids = sorted(set(recipient_ids))
    if not recipient_ids:
        return
    key = DIGEST_KEY.format(day=day.isoformat())
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, level=Notification.Level.REMINDER, title="…", dedupe_key=key)
            for pk in recipient_ids
        ],
        ignore_conflicts=True,
    )
    # Locked in pk order (a concurrent job waits here, then rewrites with our items included).
    digests = list(
        Notification.objects.select_for_update()
        .filter(recipient_id__in=recipient_ids, dedupe_key=key)
        .order_by("pk")
    )
    start, end = _day_bounds(day)
    items: dict[int, list[Reminder]] = defaultdict(list)
    deliveries = ReminderDelivery.objects.filter(
        recipient_id__in=recipient_ids, channel=ReminderDelivery.Channel.INBOX, created_at__gte=start
    ).filter(created_at__lt=end)
    for delivery in deliveries.select_related("reminder"):
        items[delivery.recipient_id].append(delivery.reminder)
    for digest in digests:
        reminders = _sorted(items.get(digest.recipient_id, []))
        overdue = any(r.stage != Reminder.Stage.DUE for r in reminders)
        digest.title = _title(reminders, day)[:200]
        digest.body = _lines(reminders)
        digest.level = Notification.Level.WARNING if overdue else Notification.Level.REMINDER
        digest.url = reminders[0].url if len(reminders) == 1 else ""
        digest.read_at = None
    Notification.objects.bulk_update(digests, ["title", "body", "level", "url", "read_at"])


def _send(messages: list[EmailMessage]) -> None:
    """After commit: the inbox copy is already stored, so a mail server failure loses nothing but the mail."""
    try:
        mailers.default.send_messages(messages)
    except Exception:  # an SMTP outage must not fail the job after its rows are committed
        logger.exception("reminders: %d digest e-mail(s) could not be sent", len(messages))


@transaction.atomic
def _email_one(recipient_id: int, today: date) -> EmailMessage | None:
    user = User.objects.select_for_update().filter(pk=recipient_id, is_active=True).first()
    if user is None or not user.email:
        return None
    start, end = _day_bounds(today)
    mine = ReminderDelivery.objects.filter(recipient=user)
    email = ReminderDelivery.Channel.EMAIL
    if mine.filter(channel=email, created_at__gte=start, created_at__lt=end).exists():
        return None  # one e-mail a day: what came later goes out tomorrow
    emailed = mine.filter(channel=email).values("reminder_id")
    pending = _sorted(
        delivery.reminder
        for delivery in mine.filter(
            channel=ReminderDelivery.Channel.INBOX, created_at__gte=start - timedelta(days=PENDING_EMAIL_DAYS)
        )
        .exclude(reminder_id__in=emailed)
        .select_related("reminder")
    )
    if not pending:
        return None
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(reminder=r, recipient=user, channel=ReminderDelivery.Channel.EMAIL)
            for r in pending
        ],
        ignore_conflicts=True,
    )
    message = EmailMessage(
        subject=f"[{settings.FEDERATION_NAME}] {_title(pending, today)}",
        body=_lines(pending),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    transaction.on_commit(partial(_send, [message]))
    return message


def reminders_email_digests(*, today: date | None = None) -> int:
    """Send each person with reminders not yet e-mailed one digest e-mail (at most one a day).

    One transaction per recipient; the mails leave after their commit. Returns how many were sent."""
    if not reminders_setting("EMAIL"):
        return 0
    today = today or timezone.localdate()
    start, _end = _day_bounds(today)
    recipients = (
        ReminderDelivery.objects.filter(
            channel=ReminderDelivery.Channel.INBOX,
            created_at__gte=start - timedelta(days=PENDING_EMAIL_DAYS),
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    messages = []
    for recipient_id in recipients:
        message = _email_one(recipient_id, today)
        if message is not None:
            messages.append(message)
    return len(messages)
