"""A district's history: staff record who volunteered at an activity that is already over.

`event_register_volunteer` rightly refuses an activity that is over (self-registration, the organizer's
list before the day). A past activity's list is still real history to record (a district moving its
paper records onto the platform, the demo district's year): platform staff over the organizer write it
here, back-dated to the activity's day. Each volunteer is checked as they were ON THAT DAY, never by
today's status: registered by then, and a volunteer who is a Party member an active member then
(members.services.periods.not_active_on). `Volunteer.is_active` is today's flag and keeps no date, so it
is not read. Who came gets the hours the existing rules give them (`event_confirm_hours`: the
activity's length to the half hour, capped), credited when the organizer confirms the hours.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, require_actor
from events.conf import events_setting
from events.models import Attendance, Event, Volunteer
from events.services.scope import require_event_organizer, require_staff
from members.services.periods import not_active_on


def _refusal(volunteer: Volunteer, event: Event) -> str:
    """Why `volunteer` could not have volunteered at `event` on its day; "" if they could."""
    day = timezone.localdate(event.starts_at)
    registered = timezone.localdate(volunteer.registered_at)
    if registered > day:
        return _(
            "%(name)s was registered as a volunteer on %(registered)s, after the activity (%(date)s)."
        ) % {
            "name": volunteer,
            "registered": registered.isoformat(),
            "date": day.isoformat(),
        }
    if volunteer.member is not None:
        return not_active_on(volunteer.member, day)
    return ""


@transaction.atomic
def event_record_past_volunteers(
    *,
    event: Event,
    actor: Actor,
    came: Sequence[Volunteer],
    absent: Sequence[Volunteer] = (),
    hours: Decimal | None = None,
) -> list[Attendance]:
    """Put the volunteers of an activity that is over on its list, `came` ticked as present and
    `absent` as listed but absent; all or nothing (one refused volunteer refuses the whole list).

    Platform staff over the organizer only (a secretary or an org contact uses the registration before
    the day); `hours` (optional) for everyone who came, else the existing default applies when the hours
    are confirmed. Refused: a Party meeting, a cancelled activity, one not over yet, one whose hours are
    confirmed, a volunteer named twice or already listed, one not yet registered or not an active
    member on the activity's day. Errors on the field "volunteers", naming the person.
    """
    require_actor(actor)
    require_staff(actor)
    require_event_organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_party_meeting:
        raise ValidationError(
            {"volunteers": _("Volunteers are registered for activities, not Party meetings.")}
        )
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"volunteers": _("The event is cancelled; there is no attendance to record.")})
    if event.ends_at > timezone.now():
        raise ValidationError(
            {"volunteers": _("This activity is not over yet: register its volunteers before the day.")}
        )
    if event.hours_confirmed_at is not None:
        raise ValidationError({"volunteers": _("The volunteer hours are confirmed; attendance is closed.")})
    cap = Decimal(events_setting("MAX_HOURS_PER_EVENT"))
    if hours is not None and (hours < 0 or hours > cap):
        raise ValidationError({"hours": _("Hours must be between 0 and %(cap)s.") % {"cap": cap}})
    listed = [(volunteer, True) for volunteer in came] + [(volunteer, False) for volunteer in absent]
    if not listed:
        raise ValidationError({"volunteers": _("Name at least one volunteer.")})
    ids = [volunteer.pk for volunteer, _here in listed]
    fresh = Volunteer.objects.select_related("member").in_bulk(ids)
    already = set(event.attendances.filter(volunteer_id__in=ids).values_list("volunteer_id", flat=True))
    errors: list[str] = []
    seen: set[int] = set()
    for volunteer, _here in listed:
        if volunteer.pk in seen:
            errors.append(_("%(name)s is named twice.") % {"name": volunteer})
        elif volunteer.pk in already:
            errors.append(_("%(name)s is already on the list.") % {"name": volunteer})
        elif reason := _refusal(fresh[volunteer.pk], event):
            errors.append(reason)
        seen.add(volunteer.pk)
    if event.capacity is not None and event.attendances.count() + len(listed) > event.capacity:
        errors.append(_("The event is full (%(n)d places).") % {"n": event.capacity})
    if errors:
        raise ValidationError({"volunteers": errors})
    rows = [
        Attendance(
            event=event,
            volunteer=fresh[volunteer.pk],
            expected=True,
            came=here,
            method=Attendance.Method.MANUAL if here else "",
            hours=hours if here else None,
        )
        for volunteer, here in listed
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)  # the unique constraints: the database's, below
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(rows)
    except IntegrityError:  # listed meanwhile by someone else
        raise ValidationError(
            {NON_FIELD_ERRORS: _("The list changed meanwhile: reload it and try again.")}
        ) from None
    return rows
