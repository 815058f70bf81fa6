"""Public sign-up pages (no login) and the organizer's list of sign-ups in the portal.

The public pages never show a name or a phone number back: the sign-up's own page (reached by
its signed link) says only its state and offers to cancel. Sign-ups are throttled per client
address (a cache counter), and every organizer page goes through visible_to (404 outside).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.client_address import client_address
from accounts.scoping import get_visible_or_404
from config.service_forms import add_service_errors
from events.conf import events_setting
from events.forms import SignUpForm
from events.models import Event, SignUp
from events.selectors import public_event
from events.services.signups import (
    signup_cancel,
    signup_create,
    signup_for_token,
    signup_offered,
    signup_token,
    signup_window_error,
    waiting_position,
)


def signup_throttled(request: HttpRequest) -> bool:
    """True once this address made SIGNUP_PER_ADDRESS attempts within SIGNUP_WINDOW_SECONDS."""
    key = f"events:signup:{client_address(request) or 'unknown'}"
    window = events_setting("SIGNUP_WINDOW_SECONDS")
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > events_setting("SIGNUP_PER_ADDRESS")


ORGANIZER_FIELDS = ("party_organization", "organization", "alliance", "booking__room__center")


def _public_event(pk: int) -> Event:
    event = public_event(pk)
    if not signup_offered(event):
        raise Http404(_("This event takes no sign-ups."))
    return event


def places_left(event: Event) -> int:
    taken = event.signups.filter(status=SignUp.Status.CONFIRMED).count()
    assert event.capacity is not None  # a page with sign-ups (signup_offered)
    return max(event.capacity - taken, 0)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(pk)
    closed = signup_window_error(event)
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and not closed:
        if signup_throttled(request):
            form.add_error(None, _("Too many sign-ups from this address. Try again in a few minutes."))
            status = 429
        elif form.is_valid():
            try:
                created = signup_create(event=event, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("events:signup_status", token=signup_token(created))
        if status == 200:
            status = 400
    return render(
        request,
        "events/public/signup.html",
        {"event": event, "form": form, "closed": closed, "places_left": places_left(event)},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def signup_status(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own page: confirmed, or their place on the waiting list; cancel from here."""
    found = signup_for_token(token)
    if found is None:
        raise Http404(_("This sign-up link is not valid."))
    if request.method == "POST":
        try:
            signup_cancel(signup=found)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your sign-up is cancelled."))
        return redirect(request.path)
    return render(
        request,
        "events/public/signup_status.html",
        {
            "signup": found,
            "event": found.event,
            "position": waiting_position(found),
            "event_url": reverse("events:detail", args=[found.event_id]),
        },
    )


@login_required
@require_GET
def organizer_signups(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's list: who signed up, in order, with masked phones (portal, scoped)."""
    event = get_visible_or_404(Event.objects.all(), request.user, pk=pk)
    signups = list(SignUp.objects.visible_to(request.user).filter(event=event).order_by("created_at", "pk"))
    counts = {status: sum(s.status == status for s in signups) for status in SignUp.Status.values}
    return render(
        request,
        "events/portal/signups.html",
        {"event": event, "signups": signups, "counts": counts},
    )
