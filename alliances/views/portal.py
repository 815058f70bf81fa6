"""The portal's alliances pages (/portal/alliances/) for org contacts and secretaries.

Every object is fetched through `visible_to(user)` (an org contact reaches their own
organization's applications and alliances only, a secretary those of the organizations
their party organization covers); anything else is 404. Writes go through the services,
which check the same rules again and name the rule that was broken.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import get_visible_or_404
from alliances import selectors
from alliances.forms import (
    ApplicationForm,
    BudgetLineFormSet,
    DecisionFilterForm,
    GridRecordForm,
    MilestoneReportForm,
)
from alliances.models import (
    Alliance,
    GridPairing,
    GridServiceRecord,
    ProjectMilestone,
    RoundReviewer,
    VentureApplication,
    VentureRound,
)
from alliances.services.actors import organizations_acted_for
from alliances.services.applications import application_breaches, application_submit, application_withdraw
from alliances.services.milestones import milestone_report
from alliances.services.pairings import grid_service_record
from config.service_forms import add_service_errors

RECENT = 10
GRID_MONTHS = 6


def _applications(user):
    return VentureApplication.objects.visible_to(user).select_related("round", "organization")


@login_required
@require_GET
def home(request):
    user = request.user
    acting_for = organizations_acted_for(user)
    context = {
        "alliances": Alliance.objects.visible_to(user)
        .select_related("lead_organization")
        .order_by("name")[:RECENT],
        "open_rounds": list(
            VentureRound.objects.visible_to(user)
            .filter(status=VentureRound.Status.OPEN)
            .order_by("closes_on")
        ),
        "applications": list(_applications(user).order_by("-submitted_at")[:RECENT]),
        "grid_count": GridPairing.objects.visible_to(user).current().count(),
        "can_apply": acting_for.exists(),
        "reviewing": RoundReviewer.objects.filter(reviewer=user, round__status=VentureRound.Status.REVIEWING)
        .select_related("round")
        .order_by("round__name"),
    }
    return render(request, "alliances/portal/home.html", context)


@login_required
@require_GET
def alliance_detail(request, pk):
    alliance = get_visible_or_404(
        Alliance.objects.select_related("lead_organization", "party_organization"), request.user, pk=pk
    )
    members = alliance.memberships.current().select_related("organization").order_by("joined_on", "pk")
    programs = selectors.with_beneficiaries_reached(alliance.programs.all()).prefetch_related("milestones")
    pairings = alliance.pairings.all().prefetch_related("activities")
    return render(
        request,
        "alliances/portal/alliance_detail.html",
        {"alliance": alliance, "members": members, "programs": programs, "pairings": pairings},
    )


def _round(user, pk) -> VentureRound:
    return get_visible_or_404(VentureRound.objects.select_related("region", "eligible_region"), user, pk=pk)


@login_required
@require_GET
def round_detail(request, pk):
    venture_round = _round(request.user, pk)
    organizations = list(organizations_acted_for(request.user).select_related("region"))
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
        "applications": _applications(request.user).filter(round=venture_round).order_by("-submitted_at"),
    }
    return render(request, "alliances/portal/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    venture_round = _round(request.user, pk)
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


def _render_apply(request, venture_round, form, formset, status=200):
    context = {"round": venture_round, "form": form, "formset": formset}
    return render(request, "alliances/portal/apply.html", context, status=status)


@login_required
@require_GET
def application_list(request):
    form = DecisionFilterForm(request.GET or None)
    applications = _applications(request.user).order_by("-submitted_at", "-pk")
    if form.is_valid() and form.cleaned_data.get("status"):
        applications = applications.filter(status=form.cleaned_data["status"])
    return render(
        request,
        "alliances/portal/application_list.html",
        {"form": form, "applications": applications[:200]},
    )


def _application(user, pk) -> VentureApplication:
    return get_visible_or_404(
        VentureApplication.objects.select_related("round", "organization").prefetch_related(
            "budget_lines", Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "pk"))
        ),
        user,
        pk=pk,
    )


@login_required
@require_GET
def application_detail(request, pk):
    application = _application(request.user, pk)
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
def application_withdraw_view(request, pk):
    application = _application(request.user, pk)
    try:
        application_withdraw(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The application was withdrawn."))
    return redirect("alliances_portal:application", pk=application.pk)


@login_required
@require_POST
def milestone_report_view(request, pk, milestone_pk):
    application = _application(request.user, pk)
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


def _grids(user):
    records = GridServiceRecord.objects.order_by("-month")
    return (
        GridPairing.objects.visible_to(user)
        .select_related("organization", "community")
        .prefetch_related(Prefetch("service_records", queryset=records, to_attr="records"))
        .order_by("until", "-since", "pk")
    )


@login_required
@require_GET
def grid_list(request):
    return _render_grids(request, GridRecordForm())


def _render_grids(request, form, *, failed_pk=None, status=200):
    grids = list(_grids(request.user)[:100])
    for grid in grids:
        grid.recent_records = grid.records[:GRID_MONTHS]
    context = {"grids": grids, "form": form, "failed_pk": failed_pk}
    return render(request, "alliances/portal/grid_list.html", context, status=status)


@login_required
@require_POST
def grid_record(request, pk):
    grid = get_visible_or_404(GridPairing.objects.select_related("organization"), request.user, pk=pk)
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
