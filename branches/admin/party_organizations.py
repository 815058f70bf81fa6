"""Party organizations: the scoped tree view (indentation in text: mptt's changelist indents with
inline `style` attributes, which the strict CSP blocks), the bulk rule-warnings column, and writes
through branches.services.party_organizations."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTModelAdmin

from accounts.admin.tree import TextIndentedTreeAdminMixin
from branches.admin.base import ActiveStatusFilter, ReadOnlyInline, RegionStreetFilter
from branches.admin.party_import import PartyImportAdminMixin
from branches.forms import DateInput, DissolveForm
from branches.models import CommitteePost, CoverageLink, PartyOrganization, PartyOrganizationChange
from branches.rules import RuleWarning, warnings_for, warnings_for_many
from branches.services.joint_branches import party_organization_create_covering
from branches.services.party_organizations import (
    EDITABLE_FIELDS,
    party_organization_correct_dissolution,
    party_organization_create,
    party_organization_dissolve,
    party_organization_move,
    party_organization_update,
)
from config.admin_services import ServiceModelAdmin, run_each
from config.date_bounds import BoundedDateField
from config.service_forms import ServiceForm, ServiceModelForm
from orgs.models import Organization, Region


class PartyOrganizationForm(ServiceModelForm):
    covers = forms.ModelMultipleChoiceField(
        label=_("organizations it covers"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("A joint branch and the organizations it covers, in one go (each gets a coverage link)."),
        widget=AutocompleteSelectMultiple(CoverageLink._meta.get_field("organization"), admin.site),
    )
    covers_since = forms.DateField(
        label=_("covering them since"), required=False, help_text=_("Empty: the founding date.")
    )

    class Meta:
        model = PartyOrganization
        fields = (
            "name",
            "kind",
            "building_mode",
            "parent",
            "region",
            "founded_on",
            "approval_document",
            "term_started_on",
            "term_years",
            "has_committee",
        )

    def write(self) -> PartyOrganization:
        data = self.cleaned_data
        fields: dict[str, Any] = {f: data.get(f) for f in EDITABLE_FIELDS if f in self.fields}
        if self.instance.pk is None:
            if data.get("covers"):
                return party_organization_create_covering(
                    organizations=data["covers"],
                    covers_since=data.get("covers_since"),
                    parent=data.get("parent"),
                    actor=self.actor,
                    **fields,
                )
            return party_organization_create(parent=data.get("parent"), actor=self.actor, **fields)
        current = PartyOrganization.objects.get(pk=self.instance.pk)
        changed = {f: v for f, v in fields.items() if getattr(current, f) != v}
        saved = current
        parent = data.get("parent")
        if parent is not None and parent.pk != current.parent_id:
            saved = party_organization_move(
                party_organization=current,
                new_parent=parent,
                on=timezone.localdate(),
                region=changed.pop("region", None),
                actor=self.actor,
            )
        if changed:
            saved = party_organization_update(party_organization=saved, actor=self.actor, **changed)
        return saved


class DissolutionCorrectionForm(ServiceForm):
    """A dissolution entered with the wrong date, corrected by staff through
    `party_organization_correct_dissolution` (which moves the links and posts the dissolution ended,
    checks each again and records the correction with its author)."""

    on = BoundedDateField(label=_("dissolved on"), widget=DateInput())
    # A link or post the correction moves is refused over the new date: the message names the row and
    # belongs under the date.
    aliases = {"since": "on", "until": "on", "organization": "on", "member": "on", "post": "on"}

    def __init__(self, *args: Any, party_organization: PartyOrganization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party_organization = party_organization

    def write(self) -> PartyOrganization:
        return party_organization_correct_dissolution(
            party_organization=self.party_organization, on=self.cleaned_data["on"], actor=self.actor
        )


class CommitteePostInline(ReadOnlyInline):
    model = CommitteePost
    fields = readonly_fields = ("member", "post", "since", "until")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommitteePost]:
        return super().get_queryset(request).select_related("member")


class CoverageLinkInline(ReadOnlyInline):
    model = CoverageLink
    fields = readonly_fields = ("organization", "since", "until", "note")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CoverageLink]:
        return super().get_queryset(request).select_related("organization")


CHANGE_DETAIL_LABELS = {
    "election": _("recorded as an election"),
    "ended_links": _("coverage links ended"),
    "ended_posts": _("committee posts ended"),
}


def _field_label(name: str) -> str:
    try:
        return str(PartyOrganization._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


class ChangeInline(ReadOnlyInline):
    model = PartyOrganizationChange
    fk_name = "party_organization"
    show_change_link = False
    fields = readonly_fields = (
        "action",
        "on",
        "old_parent",
        "new_parent",
        "details_shown",
        "document",
        "recorded_by",
    )
    verbose_name_plural = _("history")

    @admin.display(description=_("details"))
    def details_shown(self, obj: PartyOrganizationChange) -> str:
        """The change's details in words: field names as the form labels them, "old → new", a flag
        (an election) by its label; never the stored JSON keys."""
        parts = []
        for key, value in (obj.details or {}).items():
            label = str(CHANGE_DETAIL_LABELS.get(key) or _field_label(key))
            if value is True:
                parts.append(label)
            elif isinstance(value, list) and len(value) == 2 and key not in ("ended_links", "ended_posts"):
                parts.append(f"{label}：{value[0] if value[0] not in (None, '') else '—'} → {value[1]}")
            elif isinstance(value, list):
                parts.append(f"{label}：{len(value)}")
            else:
                parts.append(f"{label}：{value}")
        return "；".join(parts) or "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartyOrganizationChange]:
        return super().get_queryset(request).select_related("old_parent", "new_parent", "recorded_by")


class WarningsChangeList(ChangeList):
    """Computes the rule warnings of the whole page in one go (a fixed number of queries)."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        found = warnings_for_many(self.result_list)
        for po in self.result_list:
            po.rule_warnings = found.get(po.pk, [])


def _warnings_html(warnings: list[RuleWarning] | None) -> str:
    if not warnings:
        return "—"
    return format_html(
        '<ul class="rule-warnings">{}</ul>',
        format_html_join("", "<li>{}</li>", ((w.message,) for w in warnings)),
    )


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(
    PartyImportAdminMixin, TextIndentedTreeAdminMixin, ServiceModelAdmin, MPTTModelAdmin
):
    form = PartyOrganizationForm
    list_display = (
        "tree_name",
        "kind",
        "building_mode",
        "region",
        "status",
        "election_due",
        "warnings_column",
    )
    list_display_links = ("tree_name",)
    list_filter = (ActiveStatusFilter, "kind", "building_mode", RegionStreetFilter)
    list_select_related = ("region",)
    search_fields = ("name", "approval_document")
    autocomplete_fields = ("parent", "region")
    readonly_fields = (
        "status",
        "dissolved_on",
        "dissolution_correction",
        "election_due",
        "rule_warnings",
        "created_at",
        "updated_at",
    )
    inlines = (CommitteePostInline, CoverageLinkInline, ChangeInline)
    actions = ("dissolve_selected",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "kind", "building_mode", "parent", "region")}),
        (
            _("Founding and term"),
            {"fields": ("founded_on", "approval_document", "term_started_on", "term_years")},
        ),
        (_("Committee"), {"fields": ("has_committee",)}),
        (
            _("Status"),
            {"fields": ("status", "dissolved_on", "dissolution_correction", "election_due", "rule_warnings")},
        ),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: PartyOrganization | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        covering = (_("Organizations it covers"), {"fields": ("covers", "covers_since")})
        return (*fieldsets[:2], covering, *fieldsets[2:])

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return WarningsChangeList

    def get_urls(self) -> list[URLPattern]:
        correction = path(
            "<path:object_id>/correct-dissolution/",
            self.admin_site.admin_view(self.correct_dissolution_view),
            name="branches_partyorganization_correct_dissolution",
        )
        return [*self.import_urls(), correction, *super().get_urls()]

    @admin.display(description=_("dissolution date wrong?"))
    def dissolution_correction(self, obj: PartyOrganization) -> str:
        if obj.pk is None or obj.status != PartyOrganization.Status.DISSOLVED:
            return "—"
        url = reverse("admin:branches_partyorganization_correct_dissolution", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Correct the dissolution date"))

    def correct_dissolution_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Staff correct a dissolved party organization's dissolution date (404 outside the scope)."""
        po = self.get_object(request, unquote(object_id))  # outside the scope: 404
        if not self.has_change_permission(request, po):
            raise PermissionDenied
        form = DissolutionCorrectionForm(
            request.POST if request.method == "POST" else None, party_organization=po
        )
        form.actor = request.user
        if request.method == "POST" and form.is_valid():
            self.message_user(
                request,
                _("The dissolution date of %(po)s is now %(date)s.")
                % {"po": po, "date": form.cleaned_data["on"].isoformat()},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:branches_partyorganization_change", args=[po.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct the dissolution date of %(po)s") % {"po": po},
            "opts": self.opts,
            "original": po,
            "form": form,
        }
        return TemplateResponse(request, "branches/admin/correct_dissolution.html", context)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        # Only choices inside the user's scope (the autocompletes are scoped too); skip mptt's
        # full-table TreeNodeChoiceField.
        if db_field.name == "parent":
            kwargs["queryset"] = PartyOrganization.objects.visible_to(request.user).active()
        elif db_field.name == "region":
            kwargs["queryset"] = Region.objects.visible_to(request.user)
        return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: PartyOrganization | None = None) -> bool:
        return False  # dissolved, never deleted

    @admin.display(description=_("election due"))
    def election_due(self, obj: PartyOrganization) -> object:
        return obj.election_due_on or "—"

    @admin.display(description=_("rule warnings"))
    def warnings_column(self, obj: PartyOrganization) -> str:
        warnings = getattr(obj, "rule_warnings", None)
        return _warnings_html(warnings if warnings is not None else warnings_for(obj))

    @admin.display(description=_("rule warnings"))
    def rule_warnings(self, obj: PartyOrganization) -> str:
        return _warnings_html(warnings_for(obj)) if obj.pk else "—"

    @admin.action(description=_("Dissolve the selected party organizations"))
    def dissolve_selected(
        self, request: HttpRequest, queryset: QuerySet[PartyOrganization]
    ) -> TemplateResponse | None:
        form = DissolveForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = run_each(
                self,
                request,
                queryset.order_by("-level", "pk"),  # inner nodes first
                lambda po: party_organization_dissolve(
                    party_organization=po, actor=request.user, **form.cleaned_data
                ),
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d party organization dissolved.",
                    "%(count)d party organizations dissolved.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS if done else messages.WARNING,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dissolve party organizations"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "branches/admin/dissolve.html", context)
