"""The staff dashboard in the portal (/portal/dashboard/), its Excel export and the refresh button.

Platform staff only (superusers, district and street staff); anyone else gets 404. Each page shows
one region inside the user's scope (?region=<division code>), for one date (?date=, default: the
latest snapshot) and one filter set (registration, kind, management_mode, min_staff, max_staff).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import get_visible_or_404
from stats.coverage.inputs import parse_day
from stats.dashboard.context import dashboard_context, parse_query
from stats.dashboard.export import coverage_workbook
from stats.dashboard.figures import dashboard_data
from stats.dashboard.scope import dashboard_region, is_dashboard_user
from stats.models import CoverageRefresh
from stats.refresh import coverage_refresh_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def dashboard(request):
    region = dashboard_region(request.user, request.GET.get("region"))
    return render(request, "stats/dashboard/page.html", dashboard_context(request.user, region, request.GET))


@login_required
@require_GET
def export(request):
    """The statistics of the page's figures (same region, date and filters) as an .xlsx download
    (404 without figures)."""
    region = dashboard_region(request.user, request.GET.get("region"))
    if region is None:
        raise Http404
    query, errors = parse_query(request.GET)
    data = None if errors else dashboard_data(region, day=query["day"], org_filter=query["org_filter"])
    if data is None:
        raise Http404
    response = HttpResponse(coverage_workbook(data.result, computed_at=data.computed_at), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="coverage-{region.code}-{data.day.isoformat()}.xlsx"'
    )
    return response


@login_required
@require_POST
def refresh(request):
    """Start (or join) a refresh of the region's figures for today, then back to the dashboard."""
    region = dashboard_region(request.user, request.POST.get("region"))
    if region is None:
        raise Http404
    since = None
    if request.POST.get("since"):
        try:
            since = parse_day(request.POST["since"], field="since")
            refresh, created = coverage_refresh_request(region=region, actor=request.user, since=since)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(f"{reverse('dashboard:home')}?{urlencode({'region': region.code})}")
    else:
        refresh, created = coverage_refresh_request(region=region, actor=request.user)
    if not created:
        messages.info(request, _("The figures of this area are already being refreshed."))
    return redirect(
        f"{reverse('dashboard:home')}?{urlencode({'region': region.code, 'refresh': str(refresh.pk)})}"
    )


@login_required
@require_GET
def refresh_status(request, pk: int):
    """A refresh's progress as JSON, for static/js/dashboard.js to poll."""
    if not is_dashboard_user(request.user):
        raise Http404
    refresh = get_visible_or_404(CoverageRefresh, request.user, pk=pk)
    return JsonResponse(
        {
            "status": refresh.status,
            "status_label": refresh.get_status_display(),
            "progress": refresh.progress,
            "snapshots": refresh.snapshots,
            "duration_ms": refresh.duration_ms,
            "finished_at": date_format(localtime(refresh.finished_at), "DATETIME_FORMAT")
            if refresh.finished_at
            else None,
            "error": refresh.error,
        }
    )
