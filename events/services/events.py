"""Events: create, change, cancel, record as held (minutes, resolutions), with their expected list.

For a party meeting the expected list is drawn when the event is created: the active members
(full and probationary) whose relation the organizing party organization holds, or the current
committee post holders for a committee meeting. Whoever is a full, active member at that
moment has a vote (`Attendance.voting`): the quorum of a general meeting is counted on them.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, require_actor
from alliances.models import Alliance
from branches.models import CommitteePost, PartyOrganization
from events.models import PARTY_KINDS, Attendance, Event
from events.services.scope import require_event_organizer, require_organizer, require_visible
from members.models import Member
from orgs.models import Organization

EDITABLE_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "booking",
    "party_group",
    "is_public",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
)

TIME_FIELDS = ("starts_at", "ends_at")  # the times volunteer hours are counted on


def _check_organizer_kind(event: Event) -> None:
    """Party meetings (三会一课, theme days, life meetings, appraisals) belong to a party organization."""
    if event.kind in PARTY_KINDS and event.party_organization_id is None:
        field = "alliance" if event.alliance_id is not None else "organization"
        raise ValidationError(
            {
                field: _(
                    "%(kind)s is a party meeting: only a party organization may organize it, "
                    "not a social organization or an alliance."
                )
                % {"kind": event.get_kind_display()}
            },
            code="party_meeting_organizer",
        )


def _check_links(event: Event, actor: Actor) -> None:
    errors = {}
    po = event.party_organization
    if po is not None and po.status != "active":
        errors["party_organization"] = _("%(po)s is dissolved; it holds no more events.") % {"po": po}
    if event.organization is not None and event.organization.status != "active":
        errors["organization"] = _("%(org)s is not active.") % {"org": event.organization}
    if event.alliance is not None and event.alliance.dissolved_on is not None:
        errors["alliance"] = _("%(alliance)s is dissolved; it holds no more events.") % {
            "alliance": event.alliance
        }
    if (
        event.party_group is not None
        and event.party_group.party_organization_id != event.party_organization_id
    ):
        errors["party_group"] = _("The Party group must belong to the organizing party organization.")
    if event.party_group is not None and event.kind != Event.Kind.GROUP_MEETING:
        errors["party_group"] = _("Only a Party group meeting names a Party group.")
    booking = event.booking
    if booking is not None:
        require_visible(actor, booking=booking)
        if booking.status != "approved":
            errors["booking"] = _("The room booking is not approved (it is %(status)s).") % {
                "status": booking.get_status_display()
            }
        elif booking.starts_at > event.starts_at or booking.ends_at < event.ends_at:
            errors["booking"] = _("The booking (%(start)s–%(end)s) does not cover the event's time.") % {
                "start": timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(booking.ends_at).strftime("%H:%M"),
            }
        elif event.capacity and event.capacity > booking.room.capacity:
            errors["capacity"] = _("The booked room holds %(n)d people; lower the capacity.") % {
                "n": booking.room.capacity
            }
    if event.registration_closes_at and event.registration_closes_at > event.ends_at:
        errors["registration_closes_at"] = _("Registration must close by the end of the event.")
    if errors:
        raise ValidationError(errors)


def _expected_members(event: Event) -> QuerySet[Member]:
    members = Member.objects.filter(
        party_organization=event.party_organization,
        status=Member.Status.ACTIVE,
        stage__in=(Member.Stage.FULL, Member.Stage.PROBATIONARY),
    )
    if event.kind == Event.Kind.COMMITTEE_MEETING:
        holders = CommitteePost.objects.filter(
            party_organization=event.party_organization, until__isnull=True
        ).values("member_id")
        members = members.filter(pk__in=holders)
    return members.only("pk", "stage").order_by("pk")


def attendance_draw_expected(*, event: Event) -> int:
    """Put the organizing party organization's members on the list (missing ones only); returns how many."""
    if event.kind not in PARTY_KINDS or event.party_organization_id is None:
        return 0
    listed = set(event.attendances.filter(member__isnull=False).values_list("member_id", flat=True))
    rows = [
        Attendance(event=event, member=m, expected=True, voting=m.stage == "full")
        for m in _expected_members(event)
        if m.pk not in listed
    ]
    Attendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def event_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    party_organization: PartyOrganization | None = None,
    organization: Organization | None = None,
    alliance: Alliance | None = None,
    **fields: Any,
) -> Event:
    """Create an event for exactly one organizer (party organization, social organization or alliance)."""
    require_actor(actor)
    require_organizer(
        actor, party_organization=party_organization, organization=organization, alliance=alliance
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_create() got unexpected fields {sorted(unknown)}")
    event = Event(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        party_organization=party_organization,
        organization=organization,
        alliance=alliance,
        created_by=as_user(actor),
        **fields,
    )
    _check_organizer_kind(event)
    event.full_clean()
    _check_links(event, actor)
    event.save()
    attendance_draw_expected(event=event)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: Actor, **fields: Any) -> Event:
    require_actor(actor)
    require_event_organizer(actor, event)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unexpected fields {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled event cannot be changed.")})
    if event.hours_confirmed_at:
        # The credited hours were counted on these times: a time sent back unchanged is no change (a
        # form sends every field it shows), a different one is refused on its field.
        moved = {
            name: value
            for name, value in fields.items()
            if name in TIME_FIELDS and value != getattr(event, name)
        }
        if moved:
            raise ValidationError(
                {
                    name: _("The volunteer hours are confirmed; the time cannot change (it is %(time)s).")
                    % {"time": timezone.localtime(getattr(event, name)).strftime("%Y-%m-%d %H:%M")}
                    for name in moved
                }
            )
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    _check_links(event, actor)
    event.save()
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Actor) -> Event:
    require_actor(actor)
    require_event_organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.SCHEDULED:
        raise ValidationError(
            {
                "status": _("Only a scheduled event can be cancelled (this one is %(status)s).")
                % {"status": event.get_status_display()}
            }
        )
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    return event


@transaction.atomic
def event_record_held(*, event: Event, actor: Actor, minutes: str, resolutions: str = "") -> Event:
    """Record that the event took place, with its minutes (required) and resolutions.

    Recording again updates the minutes and resolutions; the first recording's time stays.
    """
    require_actor(actor)
    require_event_organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"status": _("A cancelled event cannot be recorded as held.")})
    if event.starts_at > timezone.now():
        raise ValidationError(
            {"minutes": _("The event has not started yet; record it once it has taken place.")}
        )
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes: what was discussed and by whom.")})
    event.minutes = minutes.strip()
    event.resolutions = (resolutions or "").strip()
    event.status = Event.Status.HELD
    if event.held_recorded_at is None:
        event.held_recorded_at = timezone.now()
    event.full_clean()
    event.save()
    return event
