"""The staff dashboard in the portal (/portal/dashboard/) and its Excel export.

Platform staff only (superusers, district and street staff); anyone else gets 404.
Each page shows one region inside the user's scope (?region=<division code>).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stats.dashboard.context import dashboard_context
from stats.dashboard.export import coverage_workbook
from stats.dashboard.figures import region_figures
from stats.dashboard.scope import dashboard_region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def dashboard(request):
    region = dashboard_region(request.user, request.GET.get("region"))
    return render(request, "stats/dashboard/page.html", dashboard_context(request.user, region))


@login_required
@require_GET
def export(request):
    """The statistics table of the region's latest figures as an .xlsx download (404 without figures)."""
    region = dashboard_region(request.user, request.GET.get("region"))
    data = region_figures(region) if region is not None else None
    if data is None:
        raise Http404
    response = HttpResponse(coverage_workbook(data.figures), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="coverage-{region.code}-{data.day.isoformat()}.xlsx"'
    )
    return response
