"""Portal: service centers, rooms with their month calendar, booking requests, and staff decisions."""

from collections.abc import Callable
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from config.paginator import CappedPaginator
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors
from events import selectors
from events.calendar_grid import month_bounds, month_grid, parse_month, shift_month
from events.forms import BookingForm, DecisionForm
from events.models import Booking, ServiceCenter
from events.services import bookings as booking_services

PAGE_SIZE = 30


@login_required
@require_GET
def room_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    rooms = selectors.rooms_for_list(request.user, level=level if level in ServiceCenter.Level.values else "")
    page = CappedPaginator(rooms, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/portal/room_list.html",
        {"page": page, "levels": ServiceCenter.Level.choices, "level": level},
    )


def _booking_owner(user: User) -> dict:
    if user.role == "secretary" and user.party_organization_id:
        return {"party_organization": user.party_organization}
    if user.role == "org_contact" and user.organization_id:
        return {"organization": user.organization}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def room_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The room's month (holding bookings shown as taken, details only of the user's own) and the form."""
    room = selectors.room_for_page(request.user, pk)
    first = parse_month(request.GET.get("month"), timezone.localdate())
    start, end = month_bounds(first)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            booking_services.booking_request(
                actor=request.user,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=form.cleaned_data["purpose"],
                attendees=form.cleaned_data["attendees"],
                **_booking_owner(request.user),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, form.aliases)
        else:
            messages.success(request, _("Your request was sent; the center's staff will decide on it."))
            return redirect("events_portal:bookings")
    tz = timezone.get_current_timezone()
    taken = list(
        room.bookings.holding()
        .filter(
            starts_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            starts_at__lt=datetime.combine(end, time.min, tzinfo=tz),
        )
        .order_by("starts_at")
    )
    mine = set(
        Booking.objects.visible_to(request.user)
        .filter(pk__in=[b.pk for b in taken])
        .values_list("pk", flat=True)
    )
    for booking in taken:
        booking.is_mine = booking.pk in mine
    return render(
        request,
        "events/portal/room_detail.html",
        {
            "room": room,
            "form": form,
            "weeks": month_grid(first, taken),
            "month": first,
            "previous": shift_month(first, -1),
            "next": shift_month(first, 1),
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def booking_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bookings the user sees: their own requests; for staff, the requests for their centers."""
    user = request.user
    status = request.GET.get("status", "pending" if user.is_platform_staff else "")
    bookings = selectors.bookings_for_list(user)
    if status in Booking.Status.values:
        bookings = bookings.filter(status=status)
    page = CappedPaginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/portal/booking_list.html",
        {"page": page, "statuses": Booking.Status.choices, "status": status, "decision_form": DecisionForm()},
    )


def _booking(request: AuthenticatedHttpRequest, pk: int) -> Booking:
    return selectors.booking_for_page(request.user, pk)


def _run(request: AuthenticatedHttpRequest, write: Callable[[], object], done: str) -> HttpResponse:
    try:
        write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("events_portal:bookings")


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    return _run(
        request,
        lambda: booking_services.booking_cancel(booking=booking, actor=request.user),
        _("The booking was cancelled."),
    )


@login_required
@require_POST
def booking_decide(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    booking = _booking(request, pk)
    if decision not in ("approve", "reject") or not request.user.is_platform_staff:
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if decision == "approve":
        return _run(
            request,
            lambda: booking_services.booking_approve(booking=booking, actor=request.user, note=note),
            _("The booking was approved."),
        )
    return _run(
        request,
        lambda: booking_services.booking_reject(booking=booking, actor=request.user, note=note),
        _("The booking was rejected."),
    )
