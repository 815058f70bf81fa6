"""Public sign-up: name and phone, confirmed up to the capacity, then a waiting list (issue 14).

Every write locks the event row, so two people taking the last place at once get one place
and one waiting-list position. A cancellation moves the first person waiting up. The person
keeps a signed link (no account) to see their state and cancel; it names nothing personal.
"""

from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events.models import Event, SignUp
from members.phones import clean_phone
from members.services.members import phone_hash

TOKEN_SALT = "events.signup"
DUPLICATE = gettext_noop("This phone number is already signed up for this event.")
Status = SignUp.Status


def signup_offered(event: Event) -> bool:
    """A public event with a capacity and a registration deadline takes sign-ups on its page."""
    return bool(
        event.is_public
        and event.capacity
        and event.registration_closes_at
        and event.status != Event.Status.CANCELLED
    )


def signup_window_error(event: Event, now: datetime | None = None) -> str:
    """Why sign-up is not open now ("" when it is)."""
    now = now or timezone.now()
    if not signup_offered(event):
        return _("This event takes no sign-ups.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Sign-up opens at %(time)s.") % {
            "time": timezone.localtime(event.registration_opens_at).strftime("%Y-%m-%d %H:%M")
        }
    assert event.registration_closes_at is not None  # signup_offered: it has a deadline
    if now > event.registration_closes_at or now >= event.starts_at:
        return _("Sign-up for this event has closed.")
    return ""


def _confirmed(event: Event) -> int:
    return event.signups.filter(status=Status.CONFIRMED).count()


@transaction.atomic
def signup_create(*, event: Event, name: str, phone: str) -> SignUp:
    """Sign a person up: confirmed while places are left, otherwise on the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    errors: dict[str, str | list[str]] = {}
    closed = signup_window_error(event)
    if closed:
        raise ValidationError({"__all__": closed})
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter your name.")
    elif len(name) > 50:
        errors["name"] = _("A name has at most 50 characters.")
    try:
        phone = clean_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    else:
        if not phone:
            errors["phone"] = _("Enter your phone number.")
        elif event.signups.live().filter(phone_hash=phone_hash(phone)).exists():
            errors["phone"] = _(DUPLICATE)
    if errors:
        raise ValidationError(errors)
    assert event.capacity is not None  # only events with a capacity take sign-ups (signup_offered)
    status = Status.CONFIRMED if _confirmed(event) < event.capacity else Status.WAITING
    signup = SignUp(event=event, name=name, phone=phone, phone_hash=phone_hash(phone), status=status)
    signup.full_clean(exclude=["event"], validate_constraints=False)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:  # the unique index: the same phone at the same moment
        raise ValidationError(
            {"phone": _("This phone number is already signed up for this event.")}
        ) from None
    return signup


@transaction.atomic
def signup_cancel(*, signup: SignUp) -> SignUp:
    """Cancel a sign-up (before the event starts); the first person waiting takes a freed place."""
    event = Event.objects.select_for_update().get(pk=signup.event_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status == Status.CANCELLED:
        raise ValidationError({"__all__": _("This sign-up was cancelled earlier.")})
    if timezone.now() >= event.starts_at:
        raise ValidationError({"__all__": _("The event has begun; the sign-up can no longer be cancelled.")})
    freed = signup.status == Status.CONFIRMED
    signup.status = Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    assert event.capacity is not None  # only events with a capacity take sign-ups (signup_offered)
    if freed and _confirmed(event) < event.capacity:
        first = event.signups.filter(status=Status.WAITING).order_by("created_at", "pk").first()
        if first is not None:
            first.status = Status.CONFIRMED
            first.save(update_fields=["status"])
    return signup


def waiting_position(signup: SignUp) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if signup.status != Status.WAITING:
        return None
    ahead = signup.event.signups.filter(status=Status.WAITING, created_at__lt=signup.created_at).count()
    return ahead + 1


def signup_token(signup: SignUp) -> str:
    return signing.dumps(signup.pk, salt=TOKEN_SALT)


def signup_for_token(token: str) -> SignUp | None:
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return SignUp.objects.select_related("event").filter(pk=pk, event__is_public=True).first()
