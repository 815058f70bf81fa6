"""Portal: democratic appraisal (民主评议党员). Secretaries open their year's appraisal, record each
member's result and the follow-up of an unqualified one; staff see appraisals and statistics by street.
Every appraisal and result is fetched through `visible_to` (404 outside the scope)."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.scoping import get_visible_or_404
from branches.models import PartyOrganization
from config.requests import AuthenticatedHttpRequest
from events.models import AppraisalFollowUp, AppraisalResult, Event
from events.selectors_appraisals import (
    appraisal_figures,
    appraisal_for_page,
    appraisal_result_for_page,
    appraisal_result_rows,
    appraisal_stats_by_street,
    appraisals_for_list,
)
from events.services.appraisals import appraisal_follow_up_record, appraisal_open, appraisal_result_record

LIST_LIMIT = 50


def _keeper(user: User) -> bool:
    return user.is_platform_staff or (user.role == "secretary" and bool(user.party_organization_id))


def _messages(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def appraisal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _keeper(request.user):
        raise Http404
    appraisals = list(appraisals_for_list(request.user)[:LIST_LIMIT])
    figures = appraisal_figures(appraisals)
    year = timezone.localdate().year
    meetings: Iterable[Event] = []
    if request.user.role == "secretary":
        meetings = Event.objects.filter(
            party_organization_id=request.user.party_organization_id,
            kind=Event.Kind.DEMOCRATIC_APPRAISAL,
            starts_at__year=year,
        ).order_by("starts_at")[:20]
    return render(
        request,
        "events/portal/appraisals.html",
        {"rows": [(a, figures.get(a.pk)) for a in appraisals], "year": year, "meetings": meetings},
    )


@login_required
@require_POST
def appraisal_open_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role != "secretary" or not user.party_organization_id:
        raise Http404
    po = PartyOrganization.objects.get(pk=user.party_organization_id)
    raw_meeting = request.POST.get("meeting", "")
    meeting = get_visible_or_404(Event, user, pk=int(raw_meeting)) if raw_meeting.isdigit() else None
    raw_year = request.POST.get("year", "")
    try:
        appraisal = appraisal_open(
            party_organization=po,
            year=int(raw_year) if raw_year.isdigit() else 0,
            meeting=meeting,
            actor=user,
        )
    except ValidationError as exc:
        _messages(request, exc)
        return redirect("events_portal:appraisals")
    return redirect("events_portal:appraisal", pk=appraisal.pk)


@login_required
@require_GET
def appraisal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not _keeper(request.user):
        raise Http404
    appraisal = appraisal_for_page(request.user, pk)
    results = appraisal_result_rows(appraisal)
    return render(
        request,
        "events/portal/appraisal.html",
        {
            "appraisal": appraisal,
            "results": results,
            "figures": appraisal_figures([appraisal]).get(appraisal.pk),
            "choices": AppraisalResult.Result.choices,
            "actions": AppraisalFollowUp.Action.choices,
            "today": timezone.localdate(),
        },
    )


def _result(request: AuthenticatedHttpRequest, pk: int) -> AppraisalResult:
    if not _keeper(request.user):
        raise Http404
    return appraisal_result_for_page(request.user, pk)


@login_required
@require_POST
def result_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    try:
        appraisal_result_record(
            result=result,
            value=request.POST.get("result", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Result of %(name)s recorded.") % {"name": result.member.name})
    return redirect("events_portal:appraisal", pk=result.appraisal_id)


@login_required
@require_POST
def follow_up_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    try:
        appraisal_follow_up_record(
            result=result,
            action=request.POST.get("action", ""),
            on=parse_date(request.POST.get("on", "") or "") if _is_date(request.POST.get("on")) else None,
            until=parse_date(request.POST.get("until", "")) if _is_date(request.POST.get("until")) else None,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(request, _("Follow-up of %(name)s recorded.") % {"name": result.member.name})
    return redirect("events_portal:appraisal", pk=result.appraisal_id)


def _is_date(value: str | None) -> bool:
    if not value:
        return False
    try:
        return parse_date(value) is not None
    except ValueError:
        return False


@login_required
@require_GET
def appraisal_stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_platform_staff:
        raise Http404
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    return render(
        request,
        "events/portal/appraisal_stats.html",
        {
            "year": year,
            "rows": appraisal_stats_by_street(user=request.user, year=year),
            "choices": AppraisalResult.Result.choices,
        },
    )
