"""The portal's alliances pages (/portal/alliances/) for org contacts and secretaries.

Every object is fetched through `visible_to(user)` (an org contact reaches their own
organization's applications and alliances only, a secretary those of the organizations
their party organization covers); anything else is 404. Writes go through the services,
which check the same rules again and name the rule that was broken.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliances import selectors
from alliances.forms import (
    ApplicationForm,
    BudgetLineFormSet,
    DecisionFilterForm,
    GridRecordForm,
    MilestoneReportForm,
)
from alliances.models import (
    GridPairing,
    ProjectMilestone,
    VentureRound,
)
from alliances.services.actors import organizations_acted_for
from alliances.services.applications import application_breaches, application_submit, application_withdraw
from alliances.services.milestones import milestone_report
from alliances.services.pairings import grid_service_record
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors

RECENT = 10
GRID_MONTHS = 6


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    acting_for = organizations_acted_for(user)
    context = {
        "alliances": selectors.recent_alliances(user)[:RECENT],
        "open_rounds": list(
            VentureRound.objects.visible_to(user)
            .filter(status=VentureRound.Status.OPEN)
            .order_by("closes_on")
        ),
        "applications": list(selectors.applications_for_portal(user).order_by("-submitted_at")[:RECENT]),
        "grid_count": GridPairing.objects.visible_to(user).current().count(),
        "can_apply": acting_for.exists(),
        "reviewing": selectors.rounds_in_review_for(user),
    }
    return render(request, "alliances/portal/home.html", context)


@login_required
@require_GET
def alliance_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    alliance = selectors.alliance_for_page(request.user, pk)
    return render(
        request,
        "alliances/portal/alliance_detail.html",
        {"alliance": alliance, **selectors.alliance_page_rows(alliance)},
    )


@login_required
@require_GET
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    venture_round = selectors.round_for_page(request.user, pk)
    organizations = list(selectors.organizations_acted_for_with_region(request.user))
    checks = []
    for organization in organizations:
        breaches = [
            b
            for b in application_breaches(
                venture_round=venture_round,
                organization=organization,
                total_budget=None,
                requested_amount=None,
                party_building_element="-",
                budget_lines=[],
            )
            if b.field != "budget_lines" and b.field != "total_budget"
        ]
        checks.append({"organization": organization, "breaches": breaches})
    context = {
        "round": venture_round,
        "criteria": venture_round.criteria.all(),
        "checks": checks,
        "may_apply": any(not c["breaches"] for c in checks),
        "applications": selectors.applications_for_portal(request.user)
        .filter(round=venture_round)
        .order_by("-submitted_at"),
    }
    return render(request, "alliances/portal/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    venture_round = selectors.round_for_page(request.user, pk)
    organizations = organizations_acted_for(request.user).order_by("name")
    if request.method == "GET":
        form = ApplicationForm(organizations=organizations)
        formset = BudgetLineFormSet(prefix="lines")
        return _render_apply(request, venture_round, form, formset)
    form = ApplicationForm(request.POST, organizations=organizations)
    formset = BudgetLineFormSet(request.POST, prefix="lines")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        budget_lines = [line for line in (f.as_line() for f in formset.forms) if line]
        try:
            application = application_submit(
                venture_round=venture_round,
                organization=data["organization"],
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                party_building_element=data["party_building_element"],
                beneficiaries_planned=data["beneficiaries_planned"],
                total_budget=data["total_budget"],
                requested_amount=data["requested_amount"],
                budget_lines=budget_lines,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your application “%(title)s” was submitted.") % {"title": application.title}
            )
            return redirect("alliances_portal:application", pk=application.pk)
    return _render_apply(request, venture_round, form, formset, status=400)


def _render_apply(
    request: AuthenticatedHttpRequest,
    venture_round: VentureRound,
    form: forms.BaseForm,
    formset: forms.BaseFormSet,
    status: int = 200,
) -> HttpResponse:
    context = {"round": venture_round, "form": form, "formset": formset}
    return render(request, "alliances/portal/apply.html", context, status=status)


@login_required
@require_GET
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET or None)
    applications = selectors.applications_for_portal(request.user).order_by("-submitted_at", "-pk")
    if form.is_valid() and form.cleaned_data.get("status"):
        applications = applications.filter(status=form.cleaned_data["status"])
    return render(
        request,
        "alliances/portal/application_list.html",
        {"form": form, "applications": applications[:200]},
    )


@login_required
@require_GET
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_page(request.user, pk)
    evaluation = getattr(application, "final_evaluation", None) if application.status == "completed" else None
    context = {
        "application": application,
        "evaluation": evaluation,
        "report_form": MilestoneReportForm(),
        "today": timezone.localdate(),
    }
    return render(request, "alliances/portal/application_detail.html", context)


@login_required
@require_POST
def application_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_page(request.user, pk)
    try:
        application_withdraw(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("alliances_portal:application", pk=application.pk)


@login_required
@require_POST
def milestone_report_view(request: AuthenticatedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    application = selectors.application_for_page(request.user, pk)
    milestone = get_object_or_404(ProjectMilestone, pk=milestone_pk, application=application)
    form = MilestoneReportForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Report: %(errors)s")
            % {"errors": " ".join(str(error) for error in form.errors.get("report", []))},
        )
        return redirect("alliances_portal:application", pk=application.pk)
    try:
        milestone_report(milestone=milestone, report=form.cleaned_data["report"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report on “%(title)s” was filed.") % {"title": milestone.title})
    return redirect("alliances_portal:application", pk=application.pk)


@login_required
@require_GET
def grid_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_grids(request, GridRecordForm())


def _render_grids(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    *,
    failed_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    grids = list(selectors.grid_pairings_with_records(request.user)[:100])
    for grid in grids:
        grid.recent_records = grid.records[:GRID_MONTHS]
    context = {"grids": grids, "form": form, "failed_pk": failed_pk}
    return render(request, "alliances/portal/grid_list.html", context, status=status)


@login_required
@require_POST
def grid_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grid = selectors.grid_pairing_for_page(request.user, pk)
    form = GridRecordForm(request.POST)
    if form.is_valid():
        try:
            grid_service_record(grid_pairing=grid, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(month)s recorded for %(grid)s.")
                % {"month": f"{form.cleaned_data['month']:%Y-%m}", "grid": grid.grid_name},
            )
            return redirect("alliances_portal:grids")
    return _render_grids(request, form, failed_pk=grid.pk, status=400)
