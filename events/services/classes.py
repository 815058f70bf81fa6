"""Party-school classes: create a class, enrol trainees, link training events as its sessions.

A session puts every trainee on the event's attendance list (and a trainee enrolled later is put on
the lists of the sessions so far), so the organizer's tick list or the QR sign-in records who came;
the credits are then read from attendance (events.selectors_classes.training_credits).
None is the system, as in the rest of events/.
"""

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import PartyOrganization
from events.models import Attendance, Event, PartyClass, PartyClassSession, PartyClassTrainee
from events.services.scope import require_organizer, require_visible
from members.models import Member

TRAINEE_STAGES = (Member.Stage.ACTIVIST, Member.Stage.CANDIDATE)


@transaction.atomic
def party_class_create(
    *, party_organization: PartyOrganization, name: str, starts_on: date, ends_on: date, actor: Actor
) -> PartyClass:
    require_organizer(actor, party_organization=party_organization)
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Name the class.")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        errors["ends_on"] = _("The class ends on or after its first day.")
    elif starts_on.year < 2000 or ends_on > timezone.localdate().replace(year=timezone.localdate().year + 1):
        errors["starts_on"] = _("Enter dates from 2000 to next year.")
    if errors:
        raise ValidationError(errors)
    party_class = PartyClass(
        party_organization=party_organization, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    party_class.full_clean()
    party_class.save()
    return party_class


def _put_on_list(event: Event, member_ids: Collection[int]) -> None:
    listed = set(event.attendances.filter(member_id__in=member_ids).values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        [
            Attendance(event=event, member_id=pk, expected=True, voting=False)
            for pk in member_ids
            if pk not in listed
        ]
    )


@transaction.atomic
def party_class_enrol(*, party_class: PartyClass, member: Member, actor: Actor) -> PartyClassTrainee:
    require_organizer(actor, party_organization=party_class.party_organization)
    require_visible(actor, member=member)
    if member.status != Member.Status.ACTIVE or member.stage not in TRAINEE_STAGES:
        raise ValidationError({"member": _("Only active activists and candidates are trainees.")})
    trainee, _created = PartyClassTrainee.objects.get_or_create(party_class=party_class, member=member)
    for session in party_class.sessions.select_related("event"):
        _put_on_list(session.event, [member.pk])
    return trainee


@transaction.atomic
def party_class_add_session(
    *,
    party_class: PartyClass,
    event: Event,
    class_hours: int | None,  # refused unless 1 to 12
    actor: Actor,
    days: Decimal | None = Decimal("0"),  # refused unless 0 to 1
) -> PartyClassSession:
    """Link a training event as a session crediting `class_hours` (and `days`, 0 to 1) to who came."""
    require_organizer(actor, party_organization=party_class.party_organization)
    require_visible(actor, event=event)
    errors = {}
    if event.kind != Event.Kind.TRAINING:
        errors["event"] = _("A session is a training event.")
    elif not (party_class.starts_on <= timezone.localtime(event.starts_at).date() <= party_class.ends_on):
        errors["event"] = _("The session must take place between the class's first and last day.")
    if class_hours is None or not (1 <= class_hours <= 12):
        errors["class_hours"] = _("A session credits 1 to 12 class hours.")
    if days is None or not (Decimal(0) <= days <= Decimal(1)):
        errors["days"] = _("A session credits 0 to 1 day.")
    if errors:
        raise ValidationError(errors)
    assert class_hours is not None and days is not None  # refused above
    session = PartyClassSession(party_class=party_class, event=event, class_hours=class_hours, days=days)
    session.full_clean()
    session.save()
    _put_on_list(event, list(party_class.trainees.values_list("member_id", flat=True)))
    return session
