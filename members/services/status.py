"""A member's status: suspension (停止党籍), leaving, death. Never a deletion: the row and its history stay.

Each change leaves a StageChange row (stage unchanged, the status change in its note)
besides the audit log entry, so the member's page shows one timeline.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.dates import add_months
from members.models import Member, StageChange, Transfer
from members.services.errors import coded
from members.services.scope import require_writer

Status = Member.Status


def _change(member: Member, *, status: str, on: date, document: str, reason: str, actor, allowed) -> Member:
    require_writer(actor, member=member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in allowed:
        raise coded(
            {
                NON_FIELD_ERRORS: _("%(name)s's status is already “%(status)s”.")
                % {"name": member.name, "status": member.get_status_display()}
            },
            code="wrong_status",
        )
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": _("Enter a date that is not in the future.")})
    if member.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise coded(
            {
                NON_FIELD_ERRORS: _("%(name)s has a pending transfer; cancel or complete it first.")
                % {"name": member.name}
            },
            code="pending_transfer",
        )
    old = member.get_status_display()
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    note = f"{old} → {member.get_status_display()}"
    StageChange.objects.create(
        member=member,
        from_stage=member.stage,
        to_stage=member.stage,
        to_status=status,
        on=on,
        document=document,
        note=f"{note}: {reason}" if reason else note,
        actor=actor,
    )
    return member


@transaction.atomic
def member_suspend(
    *, member: Member, on: date, out_of_contact_since: date, document: str = "", reason: str = "", actor=None
) -> Member:
    """Suspend the membership of someone out of contact for OUT_OF_CONTACT_SUSPEND_MONTHS or more."""
    months = settings.OUT_OF_CONTACT_SUSPEND_MONTHS
    if out_of_contact_since is None:
        raise ValidationError({"out_of_contact_since": _("Enter the date contact was lost.")})
    if on is not None and on < add_months(out_of_contact_since, months):
        raise coded(
            {
                "on": _(
                    "Suspension needs %(months)d months out of contact; this member can be suspended "
                    "from %(date)s."
                )
                % {"months": months, "date": add_months(out_of_contact_since, months).isoformat()}
            },
            code="too_early",
        )
    return _change(
        member,
        status=Status.SUSPENDED,
        on=on,
        document=document,
        reason=reason,
        actor=actor,
        allowed=(Status.ACTIVE,),
    )


@transaction.atomic
def member_reinstate(*, member: Member, on: date, document: str = "", reason: str = "", actor=None) -> Member:
    """Lift a suspension (the member got back in touch and the superior body approved)."""
    return _change(
        member,
        status=Status.ACTIVE,
        on=on,
        document=document,
        reason=reason,
        actor=actor,
        allowed=(Status.SUSPENDED,),
    )


@transaction.atomic
def member_mark_left(*, member: Member, on: date, document: str = "", reason: str = "", actor=None) -> Member:
    """The person left the Party (or the pipeline)."""
    return _change(
        member,
        status=Status.LEFT,
        on=on,
        document=document,
        reason=reason,
        actor=actor,
        allowed=(Status.ACTIVE, Status.SUSPENDED),
    )


@transaction.atomic
def member_mark_deceased(*, member: Member, on: date, document: str = "", actor=None) -> Member:
    return _change(
        member,
        status=Status.DECEASED,
        on=on,
        document=document,
        reason="",
        actor=actor,
        allowed=(Status.ACTIVE, Status.SUSPENDED),
    )
