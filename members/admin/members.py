"""Admin of members: scoped, masked, written through services; reveal, import and export as views.

The changelist shows ID numbers and phones masked and keeps a fixed number of
queries (party organization, region and street joined; no COUNT per filter
choice; the row count is bounded). Search matches a name, or an exact ID number
through its keyed hash. The full value is only shown by the reveal view (POST,
reason required, RevealLog row). Import: upload → preview of every bad cell →
confirm (all rows or none), synchronous.
"""

from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.admin.scoping import ReadOnlyScopedModelAdmin
from accounts.client_address import client_address
from accounts.scoping import get_visible_or_404
from branches.models import PartyOrganization
from config.admin_services import ServiceModelAdmin
from config.imports.admin import ImportJobAdminMixin
from config.paginator import CappedPaginator
from members.admin.filters import MemberStreetFilter, PartyOrganizationFilter
from members.forms import FindForm, MemberForm, MemberUploadForm, RevealForm
from members.import_export.workbook import export_response, template_response
from members.models import Member, RevealLog, StageChange, Transfer, TransferLetter
from members.selectors import looks_like_id_number, member_search
from members.services.import_jobs import MEMBER_IMPORTS
from members.services.reveal import can_reveal, member_lookup, member_reveal
from orgs.models import Region


class StageChangeInline(admin.TabularInline):
    """The member's timeline, read-only (written by the stage and status services)."""

    model: type[Model] = StageChange
    extra = 0
    can_delete = False
    fields: ClassVar[tuple[str, ...]]  # TransferInline lists other columns
    readonly_fields: ClassVar[tuple[str, ...]]
    fields = readonly_fields = (
        "on",
        "from_stage",
        "to_stage",
        "to_status",
        "document",
        "note",
        "recorded_by",
        "recorded_at",
        "correct_link",
    )
    ordering = ("-on", "-id")

    @admin.display(description=_("correction"))
    def correct_link(self, obj):
        """Staff correct or remove a row on its own page (members.services.stage_corrections)."""
        if obj is None or obj.pk is None:
            return ""
        url = reverse("admin:members_stagechange_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Correct or remove"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_view_permission(self, request, obj=None):
        return getattr(request.user, "is_platform_staff", False)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransferInline(StageChangeInline):
    model = Transfer
    fields = readonly_fields = (
        "direction",
        "from_party_organization",
        "to_party_organization",
        "outside_unit",
        "status",
        "sent_on",
        "received_on",
        "letter_number",
    )
    ordering = ("-sent_on", "-id")

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request).select_related(
            "from_party_organization", "to_party_organization"
        )


NEW_FIELDSETS = (
    (None, {"fields": ("name", "id_number", "gender", "birth_date", "ethnicity", "phone", "education")}),
    (_("Relation"), {"fields": ("party_organization", "employer")}),
    (
        _("Stage when registered"),
        {
            "fields": (
                "stage",
                "applied_on",
                "activist_on",
                "candidate_on",
                "admitted_on",
                "full_on",
                "document",
            )
        },
    ),
)
CHANGE_FIELDSETS = (
    (None, {"fields": ("name", "id_number", "gender", "birth_date", "ethnicity", "phone", "education")}),
    (_("Relation"), {"fields": ("party_organization", "affiliation", "employer", "status")}),
    (
        _("Pipeline"),
        {
            "fields": (
                "stage",
                "applied_on",
                "activist_on",
                "candidate_on",
                "admitted_on",
                "probation_extended_months",
                "full_on",
                "training_hours",
                "training_days",
                "political_review_passed_on",
            )
        },
    ),
)
CHANGE_READONLY = (
    "party_organization",
    "affiliation",
    "status",
    "stage",
    "applied_on",
    "activist_on",
    "candidate_on",
    "admitted_on",
    "probation_extended_months",
    "full_on",
    "training_hours",
    "training_days",
    "political_review_passed_on",
)


@admin.register(Member)
class MemberAdmin(ImportJobAdminMixin, ServiceModelAdmin):
    form = MemberForm
    list_display = (
        "name",
        "id_number_display",
        "phone_display",
        "gender",
        "stage",
        "status",
        "party_organization",
        "street_display",
    )
    list_filter = ("stage", "status", "affiliation", PartyOrganizationFilter, MemberStreetFilter)
    list_select_related = ("party_organization", "party_organization__region__parent")
    search_fields = ("name",)  # the search itself is members.selectors.member_search
    search_help_text = _("A name, or an exact resident ID number.")
    autocomplete_fields = ("employer", "party_organization")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedPaginator
    list_per_page = 50
    actions = ("export_xlsx",)
    inlines = (StageChangeInline, TransferInline)
    change_form_template = "admin/members/member/change_form.html"
    change_list_template = "admin/members/member/change_list.html"

    def get_fieldsets(self, request, obj=None):
        return CHANGE_FIELDSETS if obj is not None else NEW_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        return CHANGE_READONLY if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party_organization":
            kwargs["queryset"] = PartyOrganization.objects.visible_to(request.user).filter(status="active")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        if looks_like_id_number(search_term):
            return queryset.filter(pk__in=self._lookup(request, search_term)), False
        return member_search(queryset, search_term), False

    def _lookup(self, request, id_number: str) -> list[int]:
        """An exact ID number lookup: audited and rate-limited by the service, refused to non-revealers."""
        try:
            return member_lookup(
                user=request.user,
                field="id_number",
                value=id_number,
                ip_address=client_address(request),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return []

    def has_delete_permission(self, request, obj=None):
        return False  # people leave through a status, never by deletion

    @admin.display(description=_("resident ID number"))
    def id_number_display(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("phone"))
    def phone_display(self, obj):
        return obj.phone_masked

    @admin.display(description=_("street/town"), ordering="party_organization__region__parent__name")
    def street_display(self, obj):
        region = obj.party_organization.region
        return region.parent if region.kind == Region.Kind.COMMUNITY else region

    @method_decorator(sensitive_post_parameters("id_number", "phone"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_reveal": can_reveal(request.user)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in form.warnings:
            messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        # Inlines are read-only; introducers and contacts change through the stage services.
        for formset in formsets:  # the change message reads these lists
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # --- export / import / reveal ------------------------------------------------------------------

    @admin.action(description=_("Export the selected members to Excel (ID numbers and phones masked)"))
    def export_xlsx(self, request, queryset):
        return export_response(
            queryset.order_by("party_organization_id", "name", "id"), settings.MEMBER_IMPORT_MAX_ROWS
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.import_urls(),
            path("find/", view(self.find_view), name="members_member_find"),
            path("<int:object_id>/reveal/", view(self.reveal_view), name="members_member_reveal"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

    # --- import (config.imports.admin) ---------------------------------------------------------------

    import_jobs = MEMBER_IMPORTS
    import_form = MemberUploadForm
    import_kind = "member"
    import_title = _("Import members from Excel")
    import_steps = (
        _("Download the template and fill in one person per row (the second sheet explains each column)."),
        _("Upload the file: every row is checked and each wrong cell is listed; nothing is written yet."),
        _("When no row is wrong, confirm the import: all rows are written together, or none."),
    )

    def import_template_response(self, request):
        return template_response(settings.MEMBER_IMPORT_MAX_ROWS)

    def import_job_title(self, job) -> str:
        return gettext("Member import: %(name)s") % {"name": job.original_name}

    @method_decorator(sensitive_post_parameters("id_number"))
    @method_decorator(require_http_methods(["GET", "POST"]))
    def find_view(self, request):
        """Find a member by exact ID number sent in a POST body: unlike the changelist's `?q=`, the
        number stays out of URLs (and so out of access logs and browser history)."""
        if not self.has_view_permission(request):
            raise Http404
        form = FindForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            found = self._lookup(request, form.cleaned_data["id_number"])
            if found:
                return redirect("admin:members_member_change", found[0])
            form.add_error("id_number", gettext("No member with this ID number inside your scope."))
        return TemplateResponse(
            request,
            "admin/members/member/find.html",
            self._context(request, gettext("Find a member by ID number"), form=form),
        )

    @method_decorator(never_cache)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def reveal_view(self, request, object_id):
        """GET: the confirmation form (masked values). POST: the full value, after a RevealLog row."""
        member = get_visible_or_404(Member.objects.all(), request.user, pk=object_id)
        if not can_reveal(request.user, member):
            raise PermissionDenied
        form = RevealForm(request.POST or None)
        context = self._context(
            request,
            gettext("Reveal personal data: %(name)s") % {"name": member.name},
            member=member,
            form=form,
            original=member,
        )
        if request.method == "POST" and form.is_valid():
            try:
                context["revealed"] = member_reveal(
                    member=member,
                    field=form.cleaned_data["field"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    ip_address=client_address(request),  # behind the trusted proxies, as every log
                )
                choices: Any = cast(forms.ChoiceField, form.fields["field"]).choices
                context["revealed_label"] = dict(choices)[form.cleaned_data["field"]]
            except ValidationError as exc:
                form.add_error(None, exc)
        return TemplateResponse(request, "admin/members/member/reveal.html", context)  # never_cache: no-store

    def reveal_url(self, obj):
        return reverse("admin:members_member_reveal", args=[obj.pk])


@admin.register(Transfer)
class TransferAdmin(ReadOnlyScopedModelAdmin):
    """History of transfers; they are sent and received in the portal (members.services.transfers)."""

    list_display = (
        "member",
        "direction",
        "from_party_organization",
        "to_party_organization",
        "outside_unit",
        "status",
        "sent_on",
        "received_on",
    )
    list_filter = ("status", "direction")
    list_select_related = ("member", "from_party_organization", "to_party_organization")
    search_fields = ("member__name", "letter_number", "outside_unit")
    # Who recorded it as one label (a user, or the system actor's translated name), not the raw pair.
    exclude = ("recorded_by", "recorded_by_system")
    readonly_fields = ("recorded_by_label",)
    show_full_result_count = False
    paginator = CappedPaginator


@admin.register(RevealLog)
class RevealLogAdmin(ReadOnlyScopedModelAdmin):
    """Who saw a full ID number or phone, when and why (superusers and staff for their scope)."""

    list_display = ("at", "user", "member", "field", "reason", "ip_address")
    list_filter = ("field",)
    list_select_related = ("user", "member")
    search_fields = ("member__name", "user__username", "reason")
    date_hierarchy = "at"
    show_full_result_count = False
    paginator = CappedPaginator


@admin.register(TransferLetter)
class TransferLetterAdmin(ReadOnlyScopedModelAdmin):
    """Numbered transfer letters (issued and printed in the portal; members.services.letters)."""

    list_display = ("number", "transfer", "issued_on", "print_count", "receipt_confirmed_on")
    list_select_related = ("transfer__member",)
    search_fields = ("number", "transfer__member__name")
    show_full_result_count = False
    paginator = CappedPaginator


from members.admin import affiliations  # noqa: E402, F401  (registers the periods admin)
