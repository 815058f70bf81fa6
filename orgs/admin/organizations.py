"""Admin for the registry: organizations with their inspections and grades.

Every changelist and change form is scoped (ScopedModelAdmin); every write goes
through orgs.services. The changelist keeps a fixed number of queries whatever
the data size: regions are joined, the current grade is a subquery in the same
SELECT, filters need no COUNT per choice, and the row count is bounded.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_services import ServiceModelAdmin, run_each
from config.date_bounds import BoundedDateField
from config.paginator import CappedPaginator
from config.service_forms import ServiceModelForm
from orgs.admin.filters import (
    ActiveStatusFilter,
    CurrentGradeFilter,
    InspectionResultFilter,
    InspectionYearFilter,
    StreetFilter,
)
from orgs.admin.status import status_history_table
from orgs.images import clean_uploaded_image
from orgs.models import AnnualInspection, GradeAward, Organization, Region
from orgs.registry_io.export import export_organizations_xlsx
from orgs.selectors import search_organizations, with_current_grade
from orgs.services.grades import grade_award_create, grade_award_delete, grade_award_errors
from orgs.services.organizations import (
    EDITABLE_FIELDS,
    organization_create,
    organization_set_status,
    organization_update,
)
from orgs.uscc import normalize_uscc


class OrganizationAdminForm(ServiceModelForm):
    class Meta:
        model = Organization
        fields = sorted(EDITABLE_FIELDS)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            # Checked here so a bad image is reported on its field; the service re-encodes it on save.
            clean_uploaded_image(logo, max_side=settings.ORG_LOGO_MAX_SIDE)
            logo.seek(0)
        return logo

    def clean_uscc(self):
        # Normalised here so max_length and uniqueness are judged on the real code.
        return normalize_uscc(self.cleaned_data.get("uscc") or "") or None

    def write(self):
        fields = {name: value for name, value in self.cleaned_data.items() if name in EDITABLE_FIELDS}
        if fields.get("logo") is False:  # "clear" ticked
            fields["logo"] = ""
        elif fields.get("logo") is None:
            fields.pop("logo", None)
        if self.original is not None:
            return organization_update(organization=self.original, actor=self.actor, **fields)
        return organization_create(actor=self.actor, **fields)


class PlatformStaffInline(admin.TabularInline):
    """Inline permissions follow the platform role (as ScopedModelAdmin does), not Django's
    per-model permissions, which district staff are not given; the parent object is scoped."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class AnnualInspectionInline(PlatformStaffInline):
    """Read-only here: the party section is filed in the portal (orgs.services.inspections)."""

    model = AnnualInspection
    extra = 0
    can_delete = False
    show_change_link = False
    fields = (
        "year",
        "result",
        "supervisor_filed_on",
        "registry_filed_on",
        "has_party_organization",
        "full_members_employed",
        "party_activities_held",
        "instructor_name",
        "party_section_filed_at",
    )
    readonly_fields = fields
    ordering = ("-year",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GradeAwardInlineForm(forms.ModelForm):
    class Meta:
        model = GradeAward
        fields = ("grade", "announced_on", "document")

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if self.instance.pk is None and self.has_changed() and "announced_on" in cleaned:
            errors = grade_award_errors(
                organization=self.instance.organization, announced_on=cleaned["announced_on"]
            )
            if "organization" in errors:
                errors[NON_FIELD_ERRORS] = errors.pop("organization")
            if errors:
                raise ValidationError(errors)
        return cleaned


class GradeAwardInline(PlatformStaffInline):
    """New grades are added here and written by grade_award_create; existing ones are read-only."""

    model = GradeAward
    form = GradeAwardInlineForm
    extra = 0
    fields = ("grade", "announced_on", "document", "valid_from", "valid_until")
    readonly_fields = ("valid_from", "valid_until")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ServiceModelAdmin):
    form = OrganizationAdminForm
    list_display = (
        "name",
        "uscc",
        "kind",
        "registration",
        "management_mode",
        "street_display",
        "region",
        "grade_display",
        "status",
    )
    list_filter = (
        ActiveStatusFilter,
        "kind",
        "registration",
        "management_mode",
        StreetFilter,
        CurrentGradeFilter,
        InspectionYearFilter,
        InspectionResultFilter,
    )
    list_select_related = ("region", "region__parent")
    search_fields = ("name",)  # the search itself is search_organizations (name, short name, USCC)
    search_help_text = _("Name, short name or unified social credit code (spaces and case do not matter).")
    autocomplete_fields = ("region",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedPaginator
    list_per_page = 50
    inlines = (GradeAwardInline, AnnualInspectionInline)
    readonly_fields = ("status", "status_changed_on", "status_history", "created_at", "updated_at")
    actions = ["set_status", "export_xlsx"]
    fieldsets = (
        (
            None,
            {"fields": ("name", "short_name", "kind", "registration", "uscc", "region", "management_mode")},
        ),
        (
            _("Registration"),
            {
                "fields": (
                    "registering_authority",
                    "authority_division_code",
                    "supervisor",
                    "industry",
                    "established_on",
                    "registered_on",
                    "legal_representative",
                )
            },
        ),
        (
            _("Contact and profile"),
            {
                "fields": (
                    "contact_phone",
                    "address",
                    "staff_count",
                    "website",
                    "description",
                    "logo",
                    "is_public",
                )
            },
        ),
        (
            _("Status"),
            {"fields": ("status", "status_changed_on", "status_history", "created_at", "updated_at")},
        ),
    )

    @admin.display(description=_("status history"))
    def status_history(self, obj):
        return status_history_table(obj)

    def get_queryset(self, request):
        return with_current_grade(super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        # An organization is deregistered or revoked (set_status), never deleted: its
        # inspections, grades and party links are history the district reports on.
        return False

    def get_search_results(self, request, queryset, search_term):
        return search_organizations(queryset, search_term), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.visible_to(request.user).filter(
                kind__in=(Region.Kind.STREET, Region.Kind.COMMUNITY)
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            assert field is not None  # a ForeignKey always has a form field
            field.error_messages["invalid_choice"] = _(
                "Choose a street/town or community/village inside your own scope."
            )
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("street/town"), ordering="region__parent__name")
    def street_display(self, obj):
        region = obj.region
        return region.parent if region.kind == Region.Kind.COMMUNITY else region

    @admin.display(description=_("current grade"), ordering="current_grade")
    def grade_display(self, obj):
        grade = getattr(obj, "current_grade", None)
        return GradeAward.Grade(grade).label if grade else "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not GradeAward:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these three lists, as a plain formset.save() sets them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            award = inline_form.instance
            if inline_form in formset.deleted_forms:
                if award.pk:
                    grade_award_delete(award=award, actor=request.user)
                    formset.deleted_objects.append(award)
            elif award.pk is None and inline_form.has_changed():
                created = grade_award_create(
                    organization=form.instance,
                    grade=inline_form.cleaned_data["grade"],
                    announced_on=inline_form.cleaned_data["announced_on"],
                    document=inline_form.cleaned_data.get("document", ""),
                    actor=request.user,
                )
                formset.new_objects.append(created)
        return None

    # --- actions ---------------------------------------------------------------------------------

    @admin.action(
        description=_("Change the status (deregister, revoke, reinstate) of the selected organizations")
    )
    def set_status(self, request, queryset):
        form = SetStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            done = run_each(
                self,
                request,
                queryset.order_by("pk"),
                lambda organization: organization_set_status(
                    organization=organization, status=data["status"], on=data["on"], actor=request.user
                ),
            )
            self.message_user(
                request,
                ngettext("%(count)d organization changed.", "%(count)d organizations changed.", done)
                % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the status of organizations"),
            "opts": self.model._meta,
            "form": form,
            "organizations": queryset[:SET_STATUS_LIST_MAX],
            "count": queryset.count(),
            "list_max": SET_STATUS_LIST_MAX,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "set_status",
        }
        return TemplateResponse(request, "admin/orgs/organization/set_status.html", context)

    @admin.action(description=_("Export the selected organizations to Excel"))
    def export_xlsx(self, request, queryset):
        return export_organizations_xlsx(queryset)


SET_STATUS_LIST_MAX = 50


class SetStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Organization.Status.choices)
    on = BoundedDateField(
        label=_("date of the change"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date of the deregistration, revocation or reinstatement."),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("The date of the change cannot be in the future."))
        return on
