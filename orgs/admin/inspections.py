"""Annual inspections for district staff: the list of a year's filings and the result form."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedModelAdmin
from orgs.models import AnnualInspection, Organization
from orgs.services.inspection_results import inspection_record_result


class AnnualInspectionAdminForm(forms.ModelForm):
    class Meta:
        model = AnnualInspection
        fields = ("organization", "year", "result", "supervisor_filed_on", "registry_filed_on")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if "organization" in self.fields and request is not None:
            self.fields["organization"].queryset = Organization.objects.visible_to(request.user)

    def clean(self):
        # The service validates (scope, owed rule, dates) inside a rolled-back transaction so
        # its errors land on the fields; the real write happens in save_model.
        cleaned = super().clean()
        if self.errors:
            return cleaned
        organization = cleaned.get("organization") or self.instance.organization
        self._validate_with_service(organization, cleaned)
        return cleaned

    def _validate_with_service(self, organization, cleaned):
        try:
            with transaction.atomic():
                inspection_record_result(
                    organization=organization,
                    year=cleaned.get("year") or self.instance.year,
                    actor=self.request.user,
                    result=cleaned.get("result"),
                    supervisor_filed_on=cleaned.get("supervisor_filed_on"),
                    registry_filed_on=cleaned.get("registry_filed_on"),
                )
                transaction.set_rollback(True)  # validation only: save_model writes
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, exc)


@admin.register(AnnualInspection)
class AnnualInspectionAdmin(ScopedModelAdmin):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("organization", "year", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("party section filed"), boolean=True)
    def party_filed(self, obj):
        return obj.party_section_filed_at is not None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = inspection_record_result(
            organization=obj.organization,
            year=obj.year,
            actor=request.user,
            result=obj.result,
            supervisor_filed_on=obj.supervisor_filed_on,
            registry_filed_on=obj.registry_filed_on,
        )
        obj.pk = saved.pk
