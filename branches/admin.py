"""Admin of party organizations, coverage links, posts and instructors: scoped, written through services.

The tree view is MPTTModelAdmin's tree order with the indentation done in text:
mptt's change-list template indents with inline `style` attributes, which the
strict CSP (SECURE_CSP, no 'unsafe-inline') blocks. Rule warnings are computed
for a whole changelist page at once (branches.rules.warnings_for_many).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTModelAdmin

from accounts.admin_scoping import ScopedModelAdmin
from branches.forms import DissolveForm, ServiceModelForm
from branches.models import (
    CommitteePost,
    CoverageLink,
    Instructor,
    InstructorAssignment,
    PartyOrganization,
    PartyOrganizationChange,
)
from branches.rules import warnings_for, warnings_for_many
from branches.services.coverage import coverage_link_create, coverage_link_end, coverage_link_switch
from branches.services.instructors import EDITABLE_FIELDS as INSTRUCTOR_FIELDS
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_end,
    instructor_create,
    instructor_update,
)
from branches.services.party_organizations import (
    EDITABLE_FIELDS,
    party_organization_create,
    party_organization_dissolve,
    party_organization_move,
    party_organization_update,
)
from branches.services.posts import committee_post_create, committee_post_end
from orgs.admin_filters import StreetFilter
from orgs.models import Region
from orgs.querysets import in_region_q

ALL = "all"


def _with_actor(form_class, request):
    return type(form_class.__name__, (form_class,), {"actor": request.user})


def _adopt(obj, saved) -> None:
    """Make the admin's instance the row the service wrote (for the log entry and the redirect)."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


class ActiveStatusFilter(admin.SimpleListFilter):
    """Status, "active" unless another choice is made."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*PartyOrganization.Status.choices, (ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or PartyOrganization.Status.ACTIVE
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or PartyOrganization.Status.ACTIVE
        return queryset if value == ALL else queryset.filter(status=value)


class RegionStreetFilter(StreetFilter):
    """orgs' street filter (streets inside the user's scope), over the row's `region`."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        street = Region.objects.visible_to(request.user).filter(code=self.value()).only("pk").first()
        return queryset.filter(in_region_q(street, "region__")) if street is not None else queryset.none()


class CurrentFilter(admin.SimpleListFilter):
    """Dated rows (links, posts, assignments): current unless another choice is made."""

    title = _("in force")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended")), (ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or "yes"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "yes"
        if value == ALL:
            return queryset
        return queryset.filter(until__isnull=value == "yes")


# --- Party organizations ---------------------------------------------------------------------------


class PartyOrganizationForm(ServiceModelForm):
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

    def write(self):
        data = self.cleaned_data
        fields = {f: data.get(f) for f in EDITABLE_FIELDS if f in self.fields}
        if self.instance.pk is None:
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


class ReadOnlyInline(admin.TabularInline):
    """History and dated rows shown on the party organization's page; written elsewhere."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)


class CommitteePostInline(ReadOnlyInline):
    model = CommitteePost
    fields = readonly_fields = ("member", "post", "since", "until")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class CoverageLinkInline(ReadOnlyInline):
    model = CoverageLink
    fields = readonly_fields = ("organization", "since", "until", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class ChangeInline(ReadOnlyInline):
    model = PartyOrganizationChange
    fk_name = "party_organization"
    show_change_link = False
    fields = readonly_fields = ("action", "on", "old_parent", "new_parent", "details", "document", "actor")
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("old_parent", "new_parent", "actor")


class WarningsChangeList(ChangeList):
    """Computes the rule warnings of the whole page in one go (a fixed number of queries)."""

    def get_results(self, request):
        super().get_results(request)
        found = warnings_for_many(self.result_list)
        for po in self.result_list:
            po.rule_warnings = found.get(po.pk, [])


def _warnings_html(warnings):
    if not warnings:
        return "—"
    return format_html(
        '<ul class="rule-warnings">{}</ul>',
        format_html_join("", "<li>{}</li>", ((w.message,) for w in warnings)),
    )


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedModelAdmin, MPTTModelAdmin):
    form = PartyOrganizationForm
    change_list_template = "admin/change_list.html"  # mptt's indents with inline styles (CSP)
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
    readonly_fields = ("status", "dissolved_on", "election_due", "rule_warnings", "created_at", "updated_at")
    inlines = (CommitteePostInline, CoverageLinkInline, ChangeInline)
    actions = ("dissolve_selected",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("name", "kind", "building_mode", "parent", "region")}),
        (
            _("Founding and term"),
            {"fields": ("founded_on", "approval_document", "term_started_on", "term_years")},
        ),
        (_("Committee"), {"fields": ("has_committee",)}),
        (_("Status"), {"fields": ("status", "dissolved_on", "election_due", "rule_warnings")}),
        (_("Record"), {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_changelist(self, request, **kwargs):
        return WarningsChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only choices inside the user's scope (the autocompletes are scoped too); skip mptt's
        # full-table TreeNodeChoiceField.
        if db_field.name == "parent":
            kwargs["queryset"] = PartyOrganization.objects.visible_to(request.user).active()
        elif db_field.name == "region":
            kwargs["queryset"] = Region.objects.visible_to(request.user)
        return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # dissolved, never deleted

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Django's own, not mptt's (which only swaps in a tree-aware delete; nothing is deleted here).
        return admin.ModelAdmin.get_actions(self, request, action_location=action_location)

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.write())

    @admin.display(description=_("name"))
    def tree_name(self, obj):
        if not obj.level:
            return obj.name
        return format_html("{}└ {}", "\u3000" * (obj.level - 1), obj.name)

    @admin.display(description=_("election due"))
    def election_due(self, obj):
        return obj.election_due_on or "—"

    @admin.display(description=_("rule warnings"))
    def warnings_column(self, obj):
        warnings = getattr(obj, "rule_warnings", None)
        return _warnings_html(warnings if warnings is not None else warnings_for(obj))

    @admin.display(description=_("rule warnings"))
    def rule_warnings(self, obj):
        return _warnings_html(warnings_for(obj)) if obj.pk else "—"

    @admin.action(description=_("Dissolve the selected party organizations"))
    def dissolve_selected(self, request, queryset):
        form = DissolveForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for po in queryset.order_by("-level", "pk"):  # inner nodes first
                try:
                    party_organization_dissolve(
                        party_organization=po, actor=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    self.message_user(request, f"{po}: {' '.join(error.messages)}", messages.ERROR)
                else:
                    done += 1
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
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "branches/admin/dissolve.html", context)


# --- Coverage links ----------------------------------------------------------------------------------


class CoverageLinkForm(ServiceModelForm):
    switch = forms.BooleanField(
        label=_("Switch: end the organization's current link on the same date"), required=False
    )

    class Meta:
        model = CoverageLink
        fields = ("party_organization", "organization", "since", "until", "note")

    def write(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            if data.get("switch"):
                return coverage_link_switch(
                    organization=data["organization"],
                    party_organization=data["party_organization"],
                    on=data["since"],
                    note=data.get("note", ""),
                    actor=self.actor,
                )
            return coverage_link_create(
                party_organization=data["party_organization"],
                organization=data["organization"],
                since=data["since"],
                note=data.get("note", ""),
                actor=self.actor,
            )
        current = CoverageLink.objects.get(pk=self.instance.pk)
        if data.get("until") and current.until is None:
            return coverage_link_end(link=current, until=data["until"], actor=self.actor)
        return current


@admin.register(CoverageLink)
class CoverageLinkAdmin(ScopedModelAdmin):
    form = CoverageLinkForm
    list_display = ("organization", "party_organization", "mode", "since", "until")
    list_filter = (CurrentFilter, "party_organization__building_mode")
    list_select_related = ("organization", "party_organization")
    search_fields = ("organization__name", "party_organization__name")
    autocomplete_fields = ("party_organization", "organization")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("party_organization", "organization", "since", "switch", "note")
        return ("party_organization", "organization", "since", "until", "note")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Only the end date of a current link changes (coverage_link_end); the rest is history.
        return ("party_organization", "organization", "since", "note") + (("until",) if obj.until else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.write())

    @admin.display(description=_("building mode"))
    def mode(self, obj):
        return obj.party_organization.get_building_mode_display()


# --- Committee posts ---------------------------------------------------------------------------------


class CommitteePostAdminForm(ServiceModelForm):
    class Meta:
        model = CommitteePost
        fields = ("party_organization", "member", "post", "since", "until")

    def write(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            return committee_post_create(
                party_organization=data["party_organization"],
                member=data["member"],
                post=data["post"],
                since=data["since"],
                actor=self.actor,
            )
        current = CommitteePost.objects.get(pk=self.instance.pk)
        if data.get("until") and current.until is None:
            return committee_post_end(post=current, until=data["until"], actor=self.actor)
        return current


@admin.register(CommitteePost)
class CommitteePostAdmin(ScopedModelAdmin):
    form = CommitteePostAdminForm
    list_display = ("party_organization", "post", "member", "since", "until")
    list_filter = (CurrentFilter, "post")
    list_select_related = ("party_organization", "member")
    search_fields = ("party_organization__name", "member__name")
    autocomplete_fields = ("party_organization",)
    raw_id_fields = ("member",)  # members.Member: no full-table dropdown
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        visible = PartyOrganization.objects.visible_to(request.user)
        return CommitteePost.objects.filter(party_organization__in=visible.values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("party_organization", "member", "post", "since") + (("until",) if obj.until else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.write())


# --- Instructors ---------------------------------------------------------------------------------------


class InstructorForm(ServiceModelForm):
    class Meta:
        model = Instructor
        fields = ("name", "dispatched_by", "dispatching_body", "region")

    def write(self):
        fields = {f: self.cleaned_data[f] for f in INSTRUCTOR_FIELDS if f in self.cleaned_data}
        if self.instance.pk is None:
            return instructor_create(actor=self.actor, **fields)
        current = Instructor.objects.get(pk=self.instance.pk)
        return instructor_update(instructor=current, actor=self.actor, **fields)


class InstructorAssignmentInline(ReadOnlyInline):
    model = InstructorAssignment
    fields = readonly_fields = ("organization", "since", "until")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


@admin.register(Instructor)
class InstructorAdmin(ScopedModelAdmin):
    form = InstructorForm
    list_display = ("name", "dispatched_by", "dispatching_body", "region", "is_active")
    list_filter = ("dispatched_by", "is_active", RegionStreetFilter)
    list_select_related = ("region",)
    search_fields = ("name", "dispatching_body")
    autocomplete_fields = ("region",)
    readonly_fields = ("is_active",)
    inlines = (InstructorAssignmentInline,)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.write())


class InstructorAssignmentForm(ServiceModelForm):
    class Meta:
        model = InstructorAssignment
        fields = ("instructor", "organization", "since", "until")

    def write(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            return instructor_assign(
                instructor=data["instructor"],
                organization=data["organization"],
                since=data["since"],
                actor=self.actor,
            )
        current = InstructorAssignment.objects.get(pk=self.instance.pk)
        if data.get("until") and current.until is None:
            return instructor_assignment_end(assignment=current, until=data["until"], actor=self.actor)
        return current


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(ScopedModelAdmin):
    form = InstructorAssignmentForm
    list_display = ("instructor", "organization", "since", "until")
    list_filter = (CurrentFilter,)
    list_select_related = ("instructor", "organization")
    search_fields = ("instructor__name", "organization__name")
    autocomplete_fields = ("instructor", "organization")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _with_actor(super().get_form(request, obj, change=change, **kwargs), request)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("instructor", "organization", "since") + (("until",) if obj.until else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        _adopt(obj, form.write())
