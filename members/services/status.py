"""A member's status: suspension (停止党籍), leaving, death. Never a deletion: the row and its history stay.

Each change leaves a StageChange row (stage unchanged, `to_status` the new status, the change in its
note) besides the audit log entry, so the member's page shows one timeline. A change is checked
against the history on its date, not today's status (members.services.periods): a back-dated
change may be loaded after later ones, and the refusal names the row it conflicts with.
"""

from datetime import date
from typing import cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, require_actor
from accounts.recorded_by import recorded_by
from branches.models import CommitteePost
from branches.services.coverage import overlap_q
from branches.services.posts import describe_post
from members.dates import add_months
from members.models import Member, StageChange, Transfer
from members.services.errors import coded
from members.services.members import STAGE_DATE_FIELD
from members.services.periods import status_events, status_on
from members.services.scope import require_writer

Status = Member.Status


# The statuses each status may follow (a status change, or a transfer received out of / into the system).
FOLLOWS: dict[str, tuple[str, ...]] = {
    Status.SUSPENDED: (Status.ACTIVE,),
    Status.ACTIVE: (Status.SUSPENDED, Status.TRANSFERRED_OUT),
    Status.LEFT: (Status.ACTIVE, Status.SUSPENDED),
    Status.DECEASED: (Status.ACTIVE, Status.SUSPENDED),
    Status.TRANSFERRED_OUT: (Status.ACTIVE,),
}


def _period_errors(member: Member, *, status: str, on: date, allowed: tuple[str, ...]) -> dict:
    """The change fits the member's history around `on`, whatever order it was loaded in: the status
    on that day (not today's) allows it, the next recorded change may follow it, and no stage step
    falls while the member was gone. A refusal names the conflicting row or field."""
    before, source = status_on(member, on)
    if before not in allowed:
        message = (
            _("On %(date)s %(name)s was already “%(status)s” (%(source)s).")
            if source
            else _("%(name)s's status is already “%(status)s”.")
        )
        return {
            NON_FIELD_ERRORS: message
            % {"date": on.isoformat(), "name": member.name, "status": Status(before).label, "source": source}
        }
    later = [event for event in status_events(member) if event[0] > on]
    if later and status not in FOLLOWS[later[0][1]]:
        return {
            NON_FIELD_ERRORS: _("“%(status)s” from %(date)s cannot be followed by “%(next)s” (%(source)s).")
            % {
                "status": Status(status).label,
                "date": on.isoformat(),
                "next": Status(later[0][1]).label,
                "source": later[0][2],
            }
        }
    if status != Status.ACTIVE:
        until = later[0][0] if later else None
        post = (
            CommitteePost.objects.filter(overlap_q(on, until), member=member)
            .select_related("member", "party_organization")
            .order_by("since", "id")
            .first()
        )
        if post is not None:
            return {
                "on": _(
                    "%(name)s holds a committee post on days this change would have them gone: %(post)s. "
                    "End or correct the post first."
                )
                % {"name": member.name, "post": describe_post(post)}
            }
        for field in STAGE_DATE_FIELD.values():
            value = getattr(member, field)
            if value is not None and value >= on and (until is None or value < until):
                return {
                    "on": _("%(name)s's %(field)s is %(date)s, while this change would have them gone.")
                    % {
                        "name": member.name,
                        "field": cast(Field, Member._meta.get_field(field)).verbose_name,
                        "date": value.isoformat(),
                    }
                }
    return {}


def _change(
    member: Member,
    *,
    status: str,
    on: date,
    document: str,
    reason: str,
    actor: Actor,
    allowed: tuple[str, ...],
) -> Member:
    require_writer(actor, member=member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": _("Enter a date that is not in the future.")})
    errors = _period_errors(member, status=status, on=on, allowed=allowed)
    if errors:
        raise coded(errors, code="wrong_status")
    is_latest = not any(event[0] > on for event in status_events(member))
    if is_latest and member.transfers.filter(status=Transfer.Status.PENDING).exists():
        raise coded(
            {
                NON_FIELD_ERRORS: _("%(name)s has a pending transfer; cancel or complete it first.")
                % {"name": member.name}
            },
            code="pending_transfer",
        )
    before = Status(status_on(member, on)[0]).label
    if is_latest:  # a back-dated change inside the history leaves today's status as it is
        member.status = status
        member.save(update_fields=["status", "updated_at"])
    note = f"{before} → {Status(status).label}"
    StageChange.objects.create(
        member=member,
        from_stage=member.stage,
        to_stage=member.stage,
        to_status=status,
        on=on,
        document=document,
        note=f"{note}: {reason}" if reason else note,
        **recorded_by(actor),
    )
    return member


@transaction.atomic
def member_suspend(
    *,
    member: Member,
    on: date,
    out_of_contact_since: date | None,
    document: str = "",
    reason: str = "",
    actor: Actor,
) -> Member:
    """Suspend the membership of someone out of contact for OUT_OF_CONTACT_SUSPEND_MONTHS or more."""
    require_actor(actor)
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
def member_reinstate(
    *, member: Member, on: date, document: str = "", reason: str = "", actor: Actor
) -> Member:
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
def member_mark_left(
    *, member: Member, on: date, document: str = "", reason: str = "", actor: Actor
) -> Member:
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
def member_mark_deceased(*, member: Member, on: date, document: str = "", actor: Actor) -> Member:
    return _change(
        member,
        status=Status.DECEASED,
        on=on,
        document=document,
        reason="",
        actor=actor,
        allowed=(Status.ACTIVE, Status.SUSPENDED),
    )
