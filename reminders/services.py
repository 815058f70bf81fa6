"""Issuing reminders: insert first, deliver only what this run inserted.

`reminders_issue` is what the jobs call; `reminder_issue` and `reminder_escalate`
are the one-object API other apps use (events' missed meetings). A reminder row
is inserted with INSERT … ON CONFLICT DO NOTHING on its unique key (kind, object,
period, stage) tagged with this run's `batch` token; the rows that carry the token
afterwards are exactly the ones this run inserted, and only those are delivered, in
the same transaction, into each recipient's one inbox digest of the day (reminders.digest);
the daily digest e-mail lists them later (reminders_email_digests). A second
worker doing the same at the same moment waits on the unique index and inserts
nothing, so nobody is told twice.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from orgs.models import Region
from reminders.conf import reminders_setting
from reminders.digest import inbox_digest_update
from reminders.models import Reminder, ReminderDelivery
from reminders.recipients import escalation_staff

logger = logging.getLogger(__name__)

Stage = Reminder.Stage
LEVEL_OF_STAGE = {
    Stage.DUE: Notification.Level.REMINDER,
    Stage.OVERDUE: Notification.Level.WARNING,
    Stage.ESCALATED: Notification.Level.WARNING,
}


@dataclass
class ReminderDraft:
    """A reminder to issue: its key (kind, model + object_id, period, stage), what it says and to whom."""

    kind: str
    model: type[models.Model]
    object_id: int
    period: str
    recipients: Sequence[User]
    title: str
    body: str = ""
    url: str = ""
    stage: str = Stage.DUE
    level: str = ""  # empty: from the stage (due → reminder, overdue/escalated → warning)
    due_on: date | None = None
    region_id: int | None = None
    subject: str = ""
    dedupe_key: str = ""  # an earlier inbox message's key: whoever holds it was told already
    admin_url: str = field(default="", compare=False)
    escalate: bool = field(default=True, compare=False)  # an overdue draft is copied to staff

    def key(self) -> tuple:
        return (self.kind, self.model._meta.label_lower, self.object_id, self.period, self.stage)


def _reminder_key(reminder: Reminder) -> tuple:
    model = ContentType.objects.get_for_id(reminder.content_type_id).model_class()
    assert model is not None  # a reminder's content type is one of the platform's models
    return (reminder.kind, model._meta.label_lower, reminder.object_id, reminder.period, reminder.stage)


def _row(draft: ReminderDraft, batch: uuid.UUID) -> Reminder:
    reminder = Reminder(
        kind=draft.kind,
        content_type=ContentType.objects.get_for_model(draft.model),
        object_id=draft.object_id,
        period=draft.period,
        stage=draft.stage,
        due_on=draft.due_on,
        region_id=draft.region_id,
        subject=Truncator(draft.subject or draft.title).chars(200),
        title=Truncator(draft.title).chars(200),
        body=draft.body,
        url=draft.url,
        batch=batch,
    )
    # The foreign keys come from rows just read; checking each would cost a query per reminder.
    reminder.full_clean(exclude=["content_type", "region"], validate_unique=False, validate_constraints=False)
    return reminder


def _deliver(pairs: list[tuple[Reminder, ReminderDraft]]) -> None:
    """Record each delivery, then rewrite each recipient's digest message of the day (one a day).

    The e-mail goes out with the recipient's daily digest e-mail (reminders.digest)."""
    legacy_keys = {draft.dedupe_key for _reminder, draft in pairs if draft.dedupe_key}
    told = set(
        Notification.objects.filter(dedupe_key__in=legacy_keys).values_list("recipient_id", "dedupe_key")
        if legacy_keys
        else []
    )
    deliveries = []
    for reminder, draft in pairs:
        for user in draft.recipients:
            # A message with this key exists already (an earlier system's): the person was told.
            if draft.dedupe_key and (user.pk, draft.dedupe_key) in told:
                continue
            deliveries.append(ReminderDelivery(reminder=reminder, recipient=user, channel="inbox"))
    ReminderDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    inbox_digest_update(delivery.recipient_id for delivery in deliveries)


@transaction.atomic
def _issue_batch(drafts: list[ReminderDraft]) -> list[Reminder]:
    batch = uuid.uuid4()
    Reminder.objects.bulk_create([_row(draft, batch) for draft in drafts], ignore_conflicts=True)
    inserted = list(Reminder.objects.filter(batch=batch).order_by("pk"))
    by_key = {draft.key(): draft for draft in drafts}
    _deliver([(reminder, by_key[_reminder_key(reminder)]) for reminder in inserted])
    return inserted


def reminders_issue(*, drafts: Iterable[ReminderDraft]) -> list[Reminder]:
    """Issue each draft whose key has no reminder yet and deliver it; return the reminders issued now.

    Drafts are written BATCH_SIZE per transaction: a job that dies keeps the batches it
    committed, and its re-run skips them. Duplicate drafts (same key) count once.
    """
    unique: dict[tuple, ReminderDraft] = {}
    for draft in drafts:
        unique.setdefault(draft.key(), draft)
    items = list(unique.values())
    size = reminders_setting("BATCH_SIZE")
    issued: list[Reminder] = []
    for start in range(0, len(items), size):
        issued += _issue_batch(items[start : start + size])
    return issued


def escalations(drafts: Iterable[ReminderDraft]) -> list[ReminderDraft]:
    """An "escalated" copy of each (overdue) draft for the staff of its street, else of its district
    (reminders.recipients.escalation_staff), linking to the object's admin page."""
    drafts = list(drafts)
    staff = escalation_staff(draft.region_id for draft in drafts)
    return [
        ReminderDraft(
            kind=draft.kind,
            model=draft.model,
            object_id=draft.object_id,
            period=draft.period,
            stage=Stage.ESCALATED,
            recipients=staff.get(draft.region_id, []) if draft.region_id is not None else [],
            title=_("Overdue in your area: %(title)s") % {"title": draft.title},
            body=draft.body,
            url=draft.admin_url or draft.url,
            due_on=draft.due_on,
            region_id=draft.region_id,
            subject=draft.subject,
        )
        for draft in drafts
    ]


def reminder_issue(
    *,
    kind: str,
    obj: models.Model,
    period: str,
    recipients: Sequence[User],
    title: str,
    body: str = "",
    url: str = "",
    level: str = "",
    stage: str = Stage.DUE,
    due_on: date | None = None,
    region: Region | None = None,
    subject: str = "",
    dedupe_key: str = "",
) -> Reminder:
    """Issue one reminder about `obj` for `period` (once per kind, object, period and stage) and deliver
    it to `recipients`. Returns the reminder, new or the one issued before; `issued_now` says which.

    `region` (default: obj.region) puts it in staff scopes and decides who `reminder_escalate` tells.
    """
    region_id = region.pk if region is not None else getattr(obj, "region_id", None)
    draft = ReminderDraft(
        kind=kind,
        model=type(obj),
        object_id=obj.pk,
        period=period,
        recipients=list(recipients),
        title=title,
        body=body,
        url=url,
        level=level,
        stage=stage,
        due_on=due_on,
        region_id=region_id,
        subject=subject or str(obj),
        dedupe_key=dedupe_key,
    )
    issued = reminders_issue(drafts=[draft])
    if issued:
        reminder = issued[0]
        reminder.issued_now = True
        return reminder
    reminder = Reminder.objects.get(
        kind=kind,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        period=period,
        stage=stage,
    )
    reminder.issued_now = False
    return reminder


def reminder_escalate(*, reminder: Reminder, title: str = "", body: str = "") -> Reminder:
    """Escalate `reminder` to the staff of its region's street (else its district), once.

    Returns the escalated reminder (new or earlier; `issued_now` says which).
    """
    model = ContentType.objects.get_for_id(reminder.content_type_id).model_class()
    assert model is not None  # a reminder's content type is one of the platform's models
    draft = ReminderDraft(
        kind=reminder.kind,
        model=model,
        object_id=reminder.object_id,
        period=reminder.period,
        recipients=[],
        title=reminder.title,
        body=reminder.body,
        url=reminder.url,
        due_on=reminder.due_on,
        region_id=reminder.region_id,
        subject=reminder.subject,
        admin_url=reminder.admin_url,
    )
    escalated = escalations([draft])[0]
    if title:
        escalated.title = title
    if body:
        escalated.body = body
    issued = reminders_issue(drafts=[escalated])
    if issued:
        issued[0].issued_now = True
        return issued[0]
    found = Reminder.objects.get(
        kind=reminder.kind,
        content_type_id=reminder.content_type_id,
        object_id=reminder.object_id,
        period=reminder.period,
        stage=Stage.ESCALATED,
    )
    found.issued_now = False
    return found
