"""The org contact's corner of the portal (/portal/org/): their organization's profile and filings.

Only org contacts use these pages; anyone else logged in gets 404 (staff keep the
registry in the admin), anonymous users are sent to the login page. The organization
is always fetched through `get_visible_or_404`, so a contact asking for another
organization's id gets 404 as well.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from config.service_forms import add_service_errors
from orgs.forms import OrganizationProfileForm, PartySectionForm
from orgs.models import AnnualInspection, GradeAward, Organization
from orgs.rules import inspection_deadlines
from orgs.selectors import organization_for_page
from orgs.services.inspections import (
    inspection_file_party_section,
    inspection_not_owed_reason,
    inspection_report_year,
)
from orgs.services.profiles import organization_update_profile

RECENT_INSPECTIONS = 5
GRADE_LABELS = dict(GradeAward.Grade.choices)


def _require_contact(user) -> None:
    if user.role != Role.ORG_CONTACT or user.organization_id is None:
        raise Http404(_("This page is for organization contacts."))


def _organization(request, pk) -> Organization:
    _require_contact(request.user)
    organization = organization_for_page(request.user, pk)
    organization.grade_label = GRADE_LABELS.get(organization.current_grade, "")
    return organization


def _deadline_state(year: int, inspection: AnnualInspection | None, not_owed_reason: str) -> dict:
    """The deadlines, and "late" only when the registry deadline passed with the inspection still
    owed and not settled (filed with the registry or given a result, as the reminders count it)."""
    deadlines = inspection_deadlines(year)
    settled = inspection is not None and (
        inspection.registry_filed_on is not None or inspection.result != AnnualInspection.Result.NOT_FILED
    )
    late = timezone.localdate() > deadlines.registry and not settled and not not_owed_reason
    return {"deadlines": deadlines, "late": late}


@login_required
@require_GET
def home(request):
    _require_contact(request.user)
    return redirect("orgs_portal:detail", pk=request.user.organization_id)


@login_required
@require_GET
def organization_detail(request, pk):
    organization = _organization(request, pk)
    year = inspection_report_year()
    inspections = list(
        AnnualInspection.objects.visible_to(request.user)
        .filter(organization=organization)
        .order_by("-year")[:RECENT_INSPECTIONS]
    )
    current = next((i for i in inspections if i.year == year), None)
    not_owed_reason = inspection_not_owed_reason(organization, year)
    return render(
        request,
        "orgs/portal/organization_detail.html",
        {
            "organization": organization,
            "inspections": inspections,
            "report_year": year,
            "current_inspection": current,
            "not_owed_reason": not_owed_reason,
            **_deadline_state(year, current, not_owed_reason),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = _organization(request, pk)
    initial = OrganizationProfileForm.initial_for(organization)
    if request.method == "POST":
        form = OrganizationProfileForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            changes = form.changed_values()
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect("orgs_portal:detail", pk=organization.pk)
            try:
                organization_update_profile(organization=organization, actor=request.user, **changes)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The profile of %(name)s was saved.") % {"name": organization})
                return redirect("orgs_portal:detail", pk=organization.pk)
    else:
        form = OrganizationProfileForm(initial=initial)
    return render(request, "orgs/portal/organization_edit.html", {"organization": organization, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_party_section(request, pk):
    organization = _organization(request, pk)
    year = inspection_report_year()
    inspection = (
        AnnualInspection.objects.visible_to(request.user).filter(organization=organization, year=year).first()
    )
    not_owed_reason = inspection_not_owed_reason(organization, year)
    closed = inspection is not None and inspection.result != AnnualInspection.Result.NOT_FILED
    if request.method == "POST" and not not_owed_reason:
        form = PartySectionForm(request.POST)
        if form.is_valid():
            try:
                inspection_file_party_section(
                    organization=organization, year=year, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The party-building section of the %(year)s annual inspection was filed.")
                    % {"year": year},
                )
                return redirect("orgs_portal:detail", pk=organization.pk)
    else:
        form = PartySectionForm(initial=PartySectionForm.initial_for(inspection))
    return render(
        request,
        "orgs/portal/inspection_form.html",
        {
            "organization": organization,
            "form": form,
            "report_year": year,
            "inspection": inspection,
            "not_owed_reason": not_owed_reason,
            "closed": closed,
            **_deadline_state(year, inspection, not_owed_reason),
        },
    )
