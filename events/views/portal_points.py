"""Portal: the volunteer service bank — volunteers, their ledger, redemptions, reports and the CSV export.

Volunteers and ledger entries are read through `visible_to(user)`; redemptions and corrections
are staff's work (the supermarket's counter), credits come only from confirmed event hours.
"""

import csv
from collections.abc import Iterator
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliances.models import Alliance
from config.export_safety import neutralise_row
from config.paginator import CappedPaginator
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors
from events import selectors
from events.forms import CorrectionForm, PeriodForm, RedeemForm
from events.models import PointEntry, Volunteer
from events.services.points import points_correct, points_redeem

PAGE_SIZE = 30


def _period(request: AuthenticatedHttpRequest) -> tuple[PeriodForm, date | None, date | None]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return form, None, None


@login_required
@require_GET
def volunteer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    volunteers = Volunteer.objects.visible_to(request.user)
    term = request.GET.get("q", "").strip()[:50]
    if term:
        volunteers = volunteers.filter(name__contains=term)
    rows = selectors.hours_by_volunteer(volunteers, start, end)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/portal/volunteer_list.html", {"page": page, "form": form, "q": term})


def _volunteer(request: AuthenticatedHttpRequest, pk: int) -> Volunteer:
    return selectors.volunteer_for_page(request.user, pk)


def _render_volunteer(
    request: AuthenticatedHttpRequest,
    volunteer: Volunteer,
    redeem_form: RedeemForm | None = None,
    correction_form: CorrectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    staff = request.user.is_platform_staff
    page = CappedPaginator(selectors.volunteer_ledger(volunteer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/portal/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "page": page,
            "redeem_form": (redeem_form or RedeemForm(user=request.user)) if staff else None,
            "correction_form": (correction_form or CorrectionForm()) if staff else None,
        },
        status=status,
    )


@login_required
@require_GET
def volunteer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_volunteer(request, _volunteer(request, pk))


@login_required
@require_POST
def volunteer_redeem(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk)
    if not request.user.is_platform_staff:
        raise Http404
    form = RedeemForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            points_redeem(volunteer=volunteer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Redeemed."))
            return redirect("events_portal:volunteer", pk=volunteer.pk)
    return _render_volunteer(request, volunteer, redeem_form=form, status=400)


@login_required
@require_POST
def volunteer_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk)
    if not request.user.is_platform_staff:
        raise Http404
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            points_correct(volunteer=volunteer, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The correction was recorded."))
            return redirect("events_portal:volunteer", pk=volunteer.pk)
    return _render_volunteer(request, volunteer, correction_form=form, status=400)


@login_required
@require_GET
def points_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Hours and points by organizer, by alliance and by month, for the volunteers the user sees."""
    form, start, end = _period(request)
    entries = PointEntry.objects.visible_to(request.user)
    year = start.year if start else timezone.localdate().year
    return render(
        request,
        "events/portal/points_report.html",
        {
            "form": form,
            "by_organizer": selectors.hours_by_organizer(entries, start, end),
            "by_alliance": selectors.hours_by_alliance(
                Alliance.objects.visible_to(request.user), entries, start, end
            ),
            "by_month": selectors.hours_by_month(entries, year),
            "year": year,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_BATCH = 2000  # volunteers read per round trip while streaming


@login_required
@require_GET
def hours_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Hours per volunteer (name, community, member or not, hours, points): no phone, no ID number."""
    _form, start, end = _period(request)
    rows = selectors.hours_by_volunteer(Volunteer.objects.visible_to(request.user), start, end)
    writer = csv.writer(_Echo())
    header = [
        _("Name"),
        _("Community"),
        _("Party member"),
        _("Hours"),
        _("Activities"),
        _("Points credited"),
        _("Points redeemed"),
        _("Corrections"),
        _("Balance"),
    ]

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)  # BOM: Excel opens the UTF-8 file as UTF-8
        for v in rows.iterator(chunk_size=CSV_BATCH):
            yield writer.writerow(
                neutralise_row(
                    [
                        v.name,
                        v.region.name,
                        _("yes") if v.member_id else _("no"),
                        v.hours_total,
                        v.activities,
                        v.credited,
                        -v.redeemed,
                        v.corrected,
                        v.balance,
                    ]
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="volunteer-hours.csv"'
    return response


@login_required
@require_GET
def alliance_hours_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Hours and points per alliance (its own events and its members' while members), for the period."""
    _form, start, end = _period(request)
    rows = selectors.hours_by_alliance(
        Alliance.objects.visible_to(request.user), PointEntry.objects.visible_to(request.user), start, end
    )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(
            [_("Alliance"), _("Activities"), _("Volunteers"), _("Hours"), _("Points credited")]
        )
        for row in rows:
            yield writer.writerow(
                neutralise_row(
                    [row["alliance"], row["events"], row["volunteers"], row["hours"], row["points"]]
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alliance-hours.csv"'
    return response
