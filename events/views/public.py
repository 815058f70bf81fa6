"""Public pages: the calendar of public events, an event's page, the iCalendar feed, and QR sign-in.

Only public, not cancelled events are shown (`visible_to(PUBLIC)` whoever is logged in), with the
organizer's name; never an attendance list, a phone number or a member's name.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.actors import PUBLIC
from accounts.client_address import client_address
from config.paginator import CappedPaginator
from config.service_forms import add_service_errors
from events import ical, qr, selectors
from events.calendar_grid import month_bounds, month_grid, parse_day, parse_month, shift_month
from events.forms import SignInForm
from events.models import EventPhoto
from events.services.attendance import attendance_sign_in

CALENDAR_PER_DAY = 3  # events shown in a day's cell; the rest behind the day's "more" link
DAY_PAGE_SIZE = 20
FEED_PAST_DAYS = 90  # the feed carries events from this many days back …
FEED_LIMIT = 500  # … and at most this many (upcoming first by start)


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = parse_month(request.GET.get("month"), today)
    day = parse_day(request.GET.get("day"))
    if day is not None:
        return _calendar_day(request, day, today)
    start, end = month_bounds(first)
    # One more per day than shown: a day with more gets a link to its own page, and nothing is counted.
    events = list(selectors.public_events_between(start, end, per_day=CALENDAR_PER_DAY + 1))
    weeks = month_grid(first, events, per_day=CALENDAR_PER_DAY)
    return render(
        request,
        "events/public/calendar.html",
        {
            "weeks": weeks,
            "events": [event for week in weeks for day in week if day.in_month for event in day.items],
            "month": first,
            "previous": shift_month(first, -1),
            "next": shift_month(first, 1),
            "today": today,
        },
    )


def _calendar_day(request: HttpRequest, day: date, today: date) -> HttpResponse:
    """One day's public events, paged: where a crowded day's "more" link leads."""
    events = selectors.public_events_between(day, day + timedelta(days=1))
    page = CappedPaginator(events, DAY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/public/calendar_day.html",
        {"day": day, "page": page, "month": day.replace(day=1), "today": today},
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.public_event(pk)
    photos = EventPhoto.objects.visible_to(PUBLIC).filter(event=event).order_by("pk")
    return render(request, "events/public/event_detail.html", {"event": event, "photos": photos})


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = selectors.public_events_since(since)[:FEED_LIMIT]
    text = ical.calendar(
        events,
        url_for=lambda e: request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        name=_("Public events"),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, token: str) -> HttpResponse:
    """The page a QR code opens: the phone number on record and the person's sign-in code (no login
    needed). Rate-limited in the service; a refusal reads the same whether or not the phone is listed."""
    event = qr.event_for_token(token)
    if event is None:
        raise Http404(_("This sign-in code is not valid (any more)."))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _row, new = attendance_sign_in(
                event=event,
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                client_address=client_address(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("You are signed in. Welcome!") if new else _("You were already signed in.")
            )
            return redirect(request.path)
    return render(
        request,
        "events/public/signin.html",
        {"event": event, "form": form},
        status=400 if form.is_bound else 200,
    )
