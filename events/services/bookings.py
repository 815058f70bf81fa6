"""Room bookings: requested from the portal, decided by the center's staff, never overlapping.

The overlap rule is checked with the room row locked (`select_for_update`), so two requests
for one room run one after the other on every engine; on PostgreSQL the exclusion constraint
`events_booking_no_overlap` refuses an overlapping row besides, whoever writes it.
"""

from datetime import datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user
from branches.models import PartyOrganization
from events.conf import events_setting
from events.models import Booking, Room
from events.services.scope import require_organizer, require_staff, require_visible
from orgs.models import Organization


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _overlap_error(other: Booking) -> ValidationError:
    return ValidationError(
        {
            "starts_at": ValidationError(
                _("%(room)s is already booked from %(start)s to %(end)s (%(status)s); choose another time.")
                % {
                    "room": other.room.name,
                    "start": _fmt(other.starts_at),
                    "end": timezone.localtime(other.ends_at).strftime("%H:%M"),
                    "status": other.get_status_display(),
                },
                code="overlap",
            )
        }
    )


def _check_slot(room: Room, starts_at: datetime, ends_at: datetime, attendees: int) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at - starts_at > timedelta(hours=events_setting("BOOKING_MAX_HOURS")):
        errors["ends_at"] = _("A booking lasts at most %(n)d hours.") % {
            "n": events_setting("BOOKING_MAX_HOURS")
        }
    now = timezone.now()
    if starts_at < now:
        errors["starts_at"] = _("The start is in the past.")
    elif starts_at > now + timedelta(days=events_setting("BOOKING_MAX_DAYS_AHEAD")):
        errors["starts_at"] = _("Rooms are booked at most %(n)d days ahead.") % {
            "n": events_setting("BOOKING_MAX_DAYS_AHEAD")
        }
    if "ends_at" not in errors and "starts_at" not in errors:
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        if start.date() != end.date():
            errors["ends_at"] = _("A booking starts and ends on the same day.")
        elif str(start.isoweekday()) not in room.open_weekdays:
            errors["starts_at"] = _("%(room)s is closed on that weekday.") % {"room": room.name}
        elif start.time() < room.opens_at or end.time() > room.closes_at:
            errors["starts_at"] = _("%(room)s is open from %(opens)s to %(closes)s.") % {
                "room": room.name,
                "opens": room.opens_at.strftime("%H:%M"),
                "closes": room.closes_at.strftime("%H:%M"),
            }
    if attendees > room.capacity:
        errors["attendees"] = _("%(room)s holds %(n)d people.") % {"room": room.name, "n": room.capacity}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def booking_request(
    *,
    actor: Actor,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    attendees: int,
    party_organization: PartyOrganization | None = None,
    organization: Organization | None = None,
) -> Booking:
    """Ask for a room (free of charge) for a party organization or an organization; pending until decided."""
    if party_organization is not None or organization is not None:
        require_organizer(actor, party_organization=party_organization, organization=organization)
    require_visible(actor, room=room)
    room = Room.objects.select_for_update().select_related("center").get(pk=room.pk)  # serializes this room
    if not (room.is_active and room.center.is_active):
        raise ValidationError({"room": _("%(room)s cannot be booked at present.") % {"room": room}})
    _check_slot(room, starts_at, ends_at, attendees)
    other = Booking.objects.overlapping(room, starts_at, ends_at).select_related("room").first()
    if other is not None:
        raise _overlap_error(other)
    booking = Booking(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=(purpose or "").strip(),
        attendees=attendees,
        requested_by=as_user(actor),
        party_organization=party_organization,
        organization=organization,
    )
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the exclusion constraint (a writer that skipped the lock)
        other = Booking.objects.overlapping(room, starts_at, ends_at).select_related("room").first()
        if other is None:
            raise ValidationError({NON_FIELD_ERRORS: _("The room is already booked at that time.")}) from exc
        raise _overlap_error(other) from exc
    return booking


def _decide(booking: Booking, actor: Actor, status: str, note: str) -> Booking:
    require_staff(actor)
    require_visible(actor, booking=booking)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(
            {
                "status": _("This booking was already decided (%(status)s).")
                % {"status": booking.get_status_display()}
            }
        )
    booking.status = status
    booking.decided_by = as_user(actor)
    booking.decided_at = timezone.now()
    booking.decision_note = (note or "").strip()[:200]
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, actor: Actor, note: str = "") -> Booking:
    """The center's staff (platform staff over its region) approve a pending request."""
    return _decide(booking, actor, Booking.Status.APPROVED, note)


@transaction.atomic
def booking_reject(*, booking: Booking, actor: Actor, note: str) -> Booking:
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("Say why the request is rejected.")})
    return _decide(booking, actor, Booking.Status.REJECTED, note)


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor) -> Booking:
    """The requester (or anyone who sees the booking and acts for it) withdraws it; the slot frees up."""
    require_visible(actor, booking=booking)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in (Booking.Status.PENDING, Booking.Status.APPROVED):
        raise ValidationError(
            {
                "status": _("This booking cannot be cancelled: its status is “%(status)s”.")
                % {"status": booking.get_status_display()}
            }
        )
    if booking.ends_at < timezone.now():
        raise ValidationError({"status": _("A past booking cannot be cancelled.")})
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    return booking
