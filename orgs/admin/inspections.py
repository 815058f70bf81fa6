"""Annual inspections for district staff: the list of a year's filings and the result form."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm
from orgs.models import AnnualInspection, Organization
from orgs.services.inspection_results import inspection_record_result


class AnnualInspectionAdminForm(ServiceModelForm):
    class Meta:
        model = AnnualInspection
        fields = ("organization", "year", "result", "supervisor_filed_on", "registry_filed_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organization")
        if isinstance(field, forms.ModelChoiceField) and hasattr(self, "actor"):
            field.queryset = Organization.objects.visible_to(self.actor)

    def write(self):
        cleaned = self.cleaned_data
        return inspection_record_result(
            organization=cleaned.get("organization") or self.instance.organization,
            year=cleaned.get("year") or self.instance.year,
            actor=self.actor,
            result=cleaned.get("result") or "",  # the service refuses an empty result
            supervisor_filed_on=cleaned.get("supervisor_filed_on"),
            registry_filed_on=cleaned.get("registry_filed_on"),
        )


@admin.register(AnnualInspection)
class AnnualInspectionAdmin(ServiceModelAdmin):
    form = AnnualInspectionAdminForm
    list_display = (
        "organization",
        "year",
        "result",
        "supervisor_filed_on",
        "registry_filed_on",
        "party_filed",
    )
    list_filter = ("year", "result")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "organization__uscc")
    autocomplete_fields = ("organization",)
    show_full_result_count = False
    readonly_fields = (
        "has_party_organization",
        "no_party_organization_reason",
        "full_members_employed",
        "party_activities_held",
        "party_activities_summary",
        "instructor_name",
        "party_section_filed_at",
        "party_section_filed_by",
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("organization", "year", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("party section filed"), boolean=True)
    def party_filed(self, obj):
        return obj.party_section_filed_at is not None

    def has_delete_permission(self, request, obj=None):
        return False
