"""Who came: marking by the organizer, QR sign-in by phone number, volunteers' registration and hours."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.actors import Actor, as_user, require_actor
from accounts.ratelimit import rate_limit_key
from events.conf import events_setting
from events.models import Attendance, Event, Volunteer
from events.qr import signin_code
from events.services.points import points_credit_attendance, volunteer_create, volunteer_find_by_phone
from events.services.scope import require_event_organizer, require_person
from members.phones import clean_phone
from members.services.members import phone_hash
from orgs.models import Region


def _organizer(actor: Actor, event: Event) -> None:
    require_event_organizer(actor, event)


@transaction.atomic
def attendance_mark(*, event: Event, actor: Actor, present: set[int]) -> int:
    """The organizer's own tick list: rows in `present` came, the others did not. Returns how many came.

    A row signed in by QR code keeps its sign-in time; unticking it clears it.
    """
    require_actor(actor)
    _organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"present": _("The event is cancelled; there is no attendance to record.")})
    if event.starts_at > timezone.now():
        raise ValidationError({"present": _("The event has not started yet.")})
    if event.hours_confirmed_at is not None:
        raise ValidationError({"present": _("The volunteer hours are confirmed; attendance is closed.")})
    rows = event.attendances.all()
    unknown = set(present) - set(rows.values_list("pk", flat=True))
    if unknown:
        raise ValidationError({"present": _("Some ticked people are not on this event's list.")})
    now = timezone.now()
    rows.filter(pk__in=present, came=False).update(
        came=True, method=Attendance.Method.MANUAL, signed_in_at=now
    )
    rows.exclude(pk__in=present).update(came=False, method="", signed_in_at=None)
    return rows.filter(came=True).count()


def signin_window(event: Event) -> tuple:
    opens = event.starts_at - timedelta(minutes=events_setting("SIGNIN_OPENS_BEFORE_MINUTES"))
    closes = event.ends_at + timedelta(minutes=events_setting("SIGNIN_CLOSES_AFTER_MINUTES"))
    return opens, closes


@sensitive_variables("phone", "code", "digest")
@transaction.atomic
def attendance_sign_in(
    *, event: Event, phone: str, code: str, client_address: str | None
) -> tuple[Attendance, bool]:
    """Sign in by the phone number on record (member or volunteer) and the person's own sign-in code
    (events.qr.signin_code, handed out by the organizer) through the event's QR link.

    Returns (row, newly signed in). A phone that is not on the list and a wrong code get the same
    answer, so the page tells nothing about who is listed; attempts are rate-limited per client
    address and per (event, phone) (RateLimited). The phone is never stored here or put in a message.
    """
    rate_limit_key(group="events.signin.address", rate="signin_address", key=client_address or "unknown")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"phone": _("This event is cancelled.")})
    opens, closes = signin_window(event)
    now = timezone.now()
    if now < opens:
        raise ValidationError(
            {
                "phone": _("Sign-in opens at %(time)s.")
                % {"time": timezone.localtime(opens).strftime("%m-%d %H:%M")}
            }
        )
    if now > closes:
        raise ValidationError({"phone": _("Sign-in for this event has closed.")})
    try:
        digest = phone_hash(clean_phone(phone))
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if not digest:
        raise ValidationError({"phone": _("Enter the phone number you registered with.")})
    rate_limit_key(group="events.signin.phone", rate="signin_phone", key=f"{event.pk}:{digest}")
    row = (
        event.attendances.select_for_update().filter(member__phone_hash=digest).first()
        or event.attendances.select_for_update().filter(volunteer__phone_hash=digest).first()
    )
    expected = signin_code(event, row.pk if row is not None else 0)  # the same work either way
    if row is None or not constant_time_compare((code or "").strip(), expected):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "The phone number and the sign-in code do not match this event's list. "
                    "Check both, or ask the organizer."
                )
            }
        )
    if row.came:
        return row, False
    row.came, row.signed_in_at, row.method = True, now, Attendance.Method.QR
    row.save(update_fields=["came", "signed_in_at", "method"])
    return row, True


@sensitive_variables("phone", "digest")
@transaction.atomic
def event_add_volunteer(
    *, event: Event, actor: Actor, phone: str, name: str = "", region: Region | None = None
) -> Attendance:
    """Put a volunteer on an activity's list by phone, registering them first if need be: one
    transaction, so a refused registration leaves no new Volunteer behind.

    The phone is looked up inside the actor's scope only (points.volunteer_find_by_phone). A
    volunteer the actor cannot see is used only when the actor also gives their registered name
    (they know the person); otherwise a new volunteer needs a name and a community of the actor's.
    """
    require_person(actor)
    _organizer(actor, event)
    volunteer = volunteer_find_by_phone(phone=phone, actor=actor)
    if volunteer is None:
        name = (name or "").strip()
        if not name or region is None:
            raise ValidationError(
                {"name": _("No volunteer with this phone number in your scope: give a name and a community.")}
            )
        digest = phone_hash(clean_phone(phone))
        volunteer = Volunteer.objects.filter(phone_hash=digest, name=name).first() if digest else None
        if volunteer is None:
            volunteer = volunteer_create(actor=actor, name=name, region=region, phone=phone)
    return event_register_volunteer(event=event, actor=actor, volunteer=volunteer)


@transaction.atomic
def event_register_volunteer(*, event: Event, actor: Actor, volunteer: Volunteer) -> Attendance:
    """Put a volunteer on an activity's list, inside its registration window and capacity.

    The organizer need not see the volunteer beforehand (event_add_volunteer finds one by phone and
    name), and being on the list then makes them visible to the organizer.
    """
    require_person(actor)
    _organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_party_meeting:
        raise ValidationError(
            {"volunteer": _("Volunteers are registered for activities, not Party meetings.")}
        )
    if event.status != Event.Status.SCHEDULED:
        raise ValidationError(
            {
                "volunteer": _("Registration is closed: the event is %(status)s.")
                % {"status": event.get_status_display()}
            }
        )
    now = timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            {
                "volunteer": _("Registration opens at %(time)s.")
                % {"time": timezone.localtime(event.registration_opens_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if now > (event.registration_closes_at or event.ends_at):
        raise ValidationError({"volunteer": _("Registration for this event has closed.")})
    if not volunteer.is_active:
        raise ValidationError(
            {"volunteer": _("%(name)s is no longer an active volunteer.") % {"name": volunteer}}
        )
    if event.capacity is not None and event.attendances.count() >= event.capacity:
        raise ValidationError({"volunteer": _("The event is full (%(n)d places).") % {"n": event.capacity}})
    row = Attendance(event=event, volunteer=volunteer, expected=True)
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(
            {"volunteer": _("%(name)s is already on the list.") % {"name": volunteer}}
        ) from None
    return row


def default_hours(event: Event) -> Decimal:
    """The event's length in hours, to the half hour, capped by MAX_HOURS_PER_EVENT."""
    hours = Decimal((event.ends_at - event.starts_at).total_seconds()) / Decimal(3600)
    halves = (hours * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2
    return min(halves, Decimal(events_setting("MAX_HOURS_PER_EVENT"))).quantize(Decimal("0.1"))


@transaction.atomic
def attendance_set_hours(*, attendance: Attendance, actor: Actor, hours: Decimal) -> Attendance:
    require_actor(actor)
    _organizer(actor, attendance.event)
    row = Attendance.objects.select_for_update().select_related("event").get(pk=attendance.pk)
    if row.event.hours_confirmed_at is not None:
        raise ValidationError({"hours": _("The hours of this event are already confirmed.")})
    cap = Decimal(events_setting("MAX_HOURS_PER_EVENT"))
    if hours < 0 or hours > cap:
        raise ValidationError({"hours": _("Hours must be between 0 and %(cap)s.") % {"cap": cap}})
    row.hours = hours
    row.save(update_fields=["hours"])
    return row


@transaction.atomic
def event_confirm_hours(*, event: Event, actor: Actor) -> int:
    """The organizer confirms the volunteers' hours: each volunteer who came is credited once.

    Returns the number of credits written. Confirming twice is refused; a credit is unique per
    attendance row besides (PointEntry.attendance is one-to-one).
    """
    require_actor(actor)

    _organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.kind not in events_setting("VOLUNTEER_KINDS"):
        raise ValidationError({"kind": _("Only volunteer activities earn points.")})
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"status": _("The event is cancelled.")})
    if event.ends_at > timezone.now():
        raise ValidationError({"status": _("Confirm the hours once the event is over.")})
    if event.hours_confirmed_at is not None:
        raise ValidationError({"status": _("The hours of this event are already confirmed.")})
    credited = 0
    # Volunteers are locked one by one in primary-key order (the same order as every other writer).
    for row in event.attendances.filter(came=True, volunteer__isnull=False).order_by("volunteer_id"):
        if row.hours is None:
            row.hours = default_hours(event)
            row.save(update_fields=["hours"])
        if row.hours > 0:
            points_credit_attendance(attendance=row, actor=actor)
            credited += 1
    event.hours_confirmed_at = timezone.now()
    event.hours_confirmed_by = as_user(actor)
    event.save(update_fields=["hours_confirmed_at", "hours_confirmed_by", "updated_at"])
    return credited
