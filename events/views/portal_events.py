"""Portal: meetings and activities of the user's party organization (or organization).

Every page finds its event through `visible_to(user)` (404 outside the scope); every write goes
through events.services, which checks the scope again.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from config.paginator import InvalidCursor, KeysetPaginator
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors
from events import qr, selectors
from events.forms import EventForm, HeldForm, PhotoForm, VolunteerAddForm
from events.models import Event, EventPhoto
from events.services import attendance as attendance_services
from events.services import events as event_services
from events.services.photos import event_photo_add, event_photo_delete
from orgs.models import Region

PAGE_SIZE = 25


def can_organize(user: User) -> bool:
    return bool(
        (user.role == "secretary" and user.party_organization_id)
        or (user.role == "org_contact" and user.organization_id)
    )


def _event(user: User, pk: int) -> Event:
    return selectors.event_with_organizer(user, pk)


def event_list_paginator(user: User, **filters: Any) -> KeysetPaginator:
    """The events list's pages: the UNION of the scope's arms, newest first, by (starts_at, id)."""
    return KeysetPaginator(
        [arm.filter(**filters) for arm in Event.objects.visible_arms(user)],
        PAGE_SIZE,
        ordering=("-starts_at", "-id"),
        hydrate=lambda keys: selectors.events_for_list(Event.objects.filter(pk__in=keys), with_place=False),
    )


def _page_number(raw: str | None) -> int | None:
    """The `page` of the query string: a label beside a cursor, an old link's page without one."""
    if raw and raw.isdigit() and len(raw) <= 6:
        return int(raw) or None
    return None


@login_required
@require_GET
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's events, newest first, a page after (or before) a cursor on (starts_at, id): one page
    of keys from the UNION of the scope's arms, then those rows with their attendance counts
    (config.paginator.KeysetPaginator). Page 200 costs what page 1 does, and no page counts the list.

    An old `?page=N` link (the offset pages this list had) is sent on to the cursor of its page."""
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    filters: dict[str, Any] = {}
    if kind in Event.Kind.values:
        filters["kind"] = kind
    if year.isdigit() and 2000 <= int(year) <= 2100:  # a range on starts_at, which the indexes serve
        tz = timezone.get_current_timezone()
        filters["starts_at__gte"] = datetime(int(year), 1, 1, tzinfo=tz)
        filters["starts_at__lt"] = datetime(int(year) + 1, 1, 1, tzinfo=tz)
    paginator = event_list_paginator(request.user, **filters)
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    number = _page_number(request.GET.get("page"))
    if not (after or before) and "page" in request.GET:
        return _redirect_old_page(request, paginator, number)
    try:
        page = paginator.page(after=after, before=before, number=number)
    except InvalidCursor:
        raise Http404(_("No such page of the list: start again from the first page.")) from None
    # The labels once per page: get_FOO_display() hashes every lazy label of the field's choices
    # (a translation lookup each) on every call: 1.05 ms of CPU for 25 rows against 0.1 ms.
    kinds, statuses = dict(Event.Kind.choices), dict(Event.Status.choices)
    for event in page:
        event.kind_label = kinds.get(event.kind, event.kind)
        event.status_label = statuses.get(event.status, event.status)
    return render(
        request,
        "events/portal/event_list.html",
        {
            "page": page,
            "kinds": Event.Kind.choices,
            "kind": kind,
            "year": year,
            "can_organize": can_organize(request.user),
        },
    )


def _redirect_old_page(
    request: AuthenticatedHttpRequest, paginator: KeysetPaginator, number: int | None
) -> HttpResponse:
    """`?page=N` without a cursor: on to page N by its cursor (the key of page N − 1's last row), or
    to the first page for page 1, a page past the end or past the count cap, or a page that is no
    number."""
    query = request.GET.copy()
    del query["page"]
    key = paginator.key_at((number - 1) * PAGE_SIZE - 1) if number and number > 1 else None
    if key is not None:
        query["page"] = str(number)
        query["after"] = paginator.encode(key)
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_organize(request.user):
        raise Http404(
            _("Only a party organization's secretary or an organization's contact organizes events here.")
        )
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.event_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                **form.organizer(),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event was created."))
            return redirect("events_portal:detail", pk=event.pk)
    status = 400 if form.is_bound else 200
    return render(request, "events/portal/event_form.html", {"form": form, "event": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    form = EventForm(
        request.POST or None, user=request.user, event=event, initial=EventForm.initial_for(event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_services.event_update(event=event, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events_portal:detail", pk=event.pk)
    status = 400 if form.is_bound else 200
    return render(request, "events/portal/event_form.html", {"form": form, "event": event}, status=status)


def _event_district(event: Event) -> Region | None:
    po = event.party_organization
    if po is not None:
        region = po.region
    elif event.organization is not None:
        region = event.organization.region
    else:
        assert event.alliance is not None  # an event has one organizer
        region = event.alliance.lead_organization.region
    return region.get_root() if region else None


def _render_detail(
    request: AuthenticatedHttpRequest,
    event: Event,
    *,
    held_form: HeldForm | None = None,
    photo_form: PhotoForm | None = None,
    volunteer_form: VolunteerAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    district = _event_district(event)
    context = {
        "event": event,
        **selectors.event_page(event),
        "held_form": held_form
        or HeldForm(initial={"minutes": event.minutes, "resolutions": event.resolutions}),
        "photo_form": photo_form or PhotoForm(),
        "volunteer_form": volunteer_form or VolunteerAddForm(actor=request.user, district=district),
        "signin_url": request.build_absolute_uri(qr.signin_path(event)),
        "now": timezone.now(),
    }
    return render(request, "events/portal/event_detail.html", context, status=status)


@login_required
@require_GET
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _event(request.user, pk))


@login_required
@require_GET
def event_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    svg = qr.qr_svg(request.build_absolute_uri(qr.signin_path(event)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _service_message(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def event_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    try:
        event_services.event_cancel(event=event, actor=request.user)
    except ValidationError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, _("The event was cancelled."))
    return redirect("events_portal:detail", pk=event.pk)


@login_required
@require_POST
def event_held(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    form = HeldForm(request.POST)
    if form.is_valid():
        try:
            event_services.event_record_held(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The minutes were saved and the event recorded as held."))
            return redirect("events_portal:detail", pk=event.pk)
    return _render_detail(request, event, held_form=form, status=400)


@login_required
@require_POST
def event_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    try:
        present = {int(v) for v in request.POST.getlist("present")}
    except ValueError:
        present = {-1}
    try:
        came = attendance_services.attendance_mark(event=event, actor=request.user, present=present)
    except ValidationError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, _("Attendance saved: %(n)d came.") % {"n": came})
    return redirect("events_portal:detail", pk=event.pk)


@login_required
@require_POST
def event_photo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            event_photo_add(
                event=event,
                actor=request.user,
                file=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The photo was added."))
            return redirect("events_portal:detail", pk=event.pk)
    return _render_detail(request, event, photo_form=form, status=400)


@login_required
@require_POST
def event_photo_remove(request: AuthenticatedHttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    photo = get_object_or_404(EventPhoto, pk=photo_pk, event=event)
    try:
        event_photo_delete(photo=photo, actor=request.user)
    except ValidationError as exc:
        _service_message(request, exc)
    else:
        messages.success(request, _("The photo was removed."))
    return redirect("events_portal:detail", pk=event.pk)


@login_required
@require_POST
def event_add_volunteer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(request.user, pk)
    form = VolunteerAddForm(request.POST, actor=request.user, district=_event_district(event))
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = attendance_services.event_add_volunteer(
                event=event,
                actor=request.user,
                phone=data["phone"],
                name=data.get("name", ""),
                region=data.get("region"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            assert row.volunteer is not None  # a volunteer's row
            messages.success(request, _("%(name)s is on the list.") % {"name": row.volunteer.name})
            return redirect("events_portal:detail", pk=event.pk)
    return _render_detail(request, event, volunteer_form=form, status=400)


@login_required
@require_POST
def event_hours(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Save each volunteer's hours, then (if asked) confirm them: the credits are written once."""
    event = _event(request.user, pk)
    try:
        with transaction.atomic():
            _save_hours(request, event)
    except ValidationError as exc:
        _service_message(request, exc)
    return redirect("events_portal:detail", pk=event.pk)


def _save_hours(request: AuthenticatedHttpRequest, event: Event) -> None:
    for row in event.attendances.filter(volunteer__isnull=False, came=True):
        raw = request.POST.get(f"hours-{row.pk}", "").strip()
        if raw:
            try:
                hours = Decimal(raw)
            except InvalidOperation:
                raise ValidationError({"hours": _("Hours must be a number, e.g. 2.5.")}) from None
            attendance_services.attendance_set_hours(attendance=row, actor=request.user, hours=hours)
    if request.POST.get("confirm"):
        credited = attendance_services.event_confirm_hours(event=event, actor=request.user)
        messages.success(request, _("Hours confirmed: %(n)d volunteers credited.") % {"n": credited})
    else:
        messages.success(request, _("Hours saved."))
