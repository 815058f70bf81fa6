"""Venture rounds: the call and its rules, the status workflow, criteria and reviewers.

District staff and superusers create and run rounds; street staff read them. Criteria and
reviewers are edited in inlines whose rows are written through the services after the round.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from alliances.admin.base import ServiceAdmin, ServiceModelForm
from alliances.models import ReviewCriterion, RoundReviewer, VentureRound
from alliances.selectors import with_round_totals
from alliances.services.actors import is_round_manager
from alliances.services.rounds import (
    ALWAYS_EDITABLE,
    CRITERIA_EDITABLE,
    EDITABLE_WHILE_OPEN,
    REVIEWERS_EDITABLE,
    ROUND_FIELDS,
    criterion_add,
    criterion_remove,
    criterion_update,
    reviewer_assign,
    reviewer_remove,
    round_create,
    round_set_status,
    round_update,
)
from orgs.models import Organization


class VentureRoundForm(ServiceModelForm):
    eligible_kinds = forms.MultipleChoiceField(
        label=_("eligible kinds of organization"),
        choices=Organization.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    eligible_registrations = forms.MultipleChoiceField(
        label=_("eligible registrations"),
        choices=Organization.Registration.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: registered and filed."),
    )

    class Meta:
        model = VentureRound
        fields = (*sorted(ROUND_FIELDS), "status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.status != VentureRound.Status.DRAFT:
            # Fixed once the round opens (shown read-only by the admin).
            self.fields.pop("eligible_kinds", None)
            self.fields.pop("eligible_registrations", None)
        if "status" in self.fields and self.instance.pk is None:
            self.fields["status"].disabled = True
            self.fields["status"].help_text = _("A new round starts as a draft.")

    def write(self) -> VentureRound:
        data = self.cleaned_data
        fields = {f: data[f] for f in ROUND_FIELDS if f in data}
        for name in ("eligible_kinds", "eligible_registrations"):
            if name in self.fields:
                fields[name] = list(data.get(name) or [])
        if self.instance.pk is None:
            return round_create(actor=self.actor, **fields)
        current = VentureRound.objects.get(pk=self.instance.pk)
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        saved = round_update(venture_round=current, actor=self.actor, **changed) if changed else current
        status = data.get("status")
        if status and status != saved.status:
            saved = round_set_status(venture_round=saved, status=status, actor=self.actor)
        return saved


class CriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0
    fields = ("name", "max_score", "description", "position")

    def _editable(self, request: HttpRequest, obj: VentureRound | None) -> bool:
        return obj is not None and obj.status in CRITERIA_EDITABLE and is_round_manager(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return getattr(request.user, "is_platform_staff", False)


class ReviewerForm(forms.ModelForm):
    """The reviewer is typed by username (no dropdown over every account)."""

    username = forms.CharField(label=_("reviewer's username"), max_length=150)

    class Meta:
        model = RoundReviewer
        fields = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.reviewer.username
            self.fields["username"].disabled = True

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account has the username “%(name)s”.") % {"name": username})
        self.reviewer = user
        return username


class ReviewerInline(admin.TabularInline):
    model = RoundReviewer
    form = ReviewerForm
    extra = 0
    fields = ("username", "reviewer_name")
    readonly_fields = ("reviewer_name",)

    @admin.display(description=_("reviewer's username"))
    def username(self, obj: RoundReviewer) -> str:
        """The column's header, and its value where the inline is read-only (the form field's
        label is not what the admin's tabular header reads)."""
        return obj.reviewer.username if obj.pk else ""

    @admin.display(description=_("name"))
    def reviewer_name(self, obj: RoundReviewer) -> str:
        return obj.reviewer.get_full_name() if obj.pk else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("reviewer")

    def _editable(self, request: HttpRequest, obj: VentureRound | None) -> bool:
        return obj is not None and obj.status in REVIEWERS_EDITABLE and is_round_manager(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return self._editable(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        return getattr(request.user, "is_platform_staff", False)


@admin.register(VentureRound)
class VentureRoundAdmin(ServiceAdmin):
    form = VentureRoundForm
    fieldsets = (
        (None, {"fields": ("name", "kind", "region", "status", "description")}),
        (_("Call"), {"fields": ("opens_on", "closes_on", "fund_pool")}),
        (
            _("Rules"),
            {
                "fields": (
                    "max_projects_per_org",
                    "max_staff_cost_share",
                    "max_request_per_project",
                    "eligible_kinds",
                    "eligible_registrations",
                    "eligible_region",
                    "required_coverage",
                )
            },
        ),
    )
    list_display = (
        "name",
        "kind",
        "status",
        "opens_on",
        "closes_on",
        "fund_pool",
        "awarded",
        "applications_link",
    )
    list_filter = ("status", "kind")
    list_select_related = ("region",)
    search_fields = ("name",)
    autocomplete_fields = ("region", "eligible_region")
    inlines = (CriterionInline, ReviewerInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_round_totals(super().get_queryset(request).select_related("region"))

    def get_readonly_fields(self, request: HttpRequest, obj: VentureRound | None = None) -> tuple[str, ...]:
        if obj is None or obj.status == VentureRound.Status.DRAFT:
            return ()
        editable = EDITABLE_WHILE_OPEN if obj.status == VentureRound.Status.OPEN else ALWAYS_EDITABLE
        return tuple(f for f in sorted(ROUND_FIELDS) if f not in editable)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and is_round_manager(request.user)

    def has_change_permission(self, request: HttpRequest, obj: VentureRound | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return is_round_manager(request.user, obj) if obj is not None else is_round_manager(request.user)

    @admin.display(description=_("awarded"))
    def awarded(self, obj: Any) -> str:  # annotated by the changelist query
        return f"{obj.awarded_total:,.2f} ({obj.awarded_count})"

    @admin.display(description=_("applications"))
    def applications_link(self, obj: VentureRound) -> str:
        return format_html(
            '<a href="../ventureapplication/?round__id__exact={}">{}</a>', obj.pk, _("ranking and awards")
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Criteria and reviewers go through the services (the round's status and scope are checked)."""
        venture_round = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            obj = inline_form.instance
            if obj.pk is None:
                continue
            if isinstance(obj, ReviewCriterion):
                criterion_remove(criterion=obj, actor=request.user)
            else:
                reviewer_remove(link=obj, actor=request.user)
            formset.deleted_objects.append(obj)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            obj = inline_form.instance
            if formset.model is ReviewCriterion:
                data = {
                    k: inline_form.cleaned_data.get(k)
                    for k in ("name", "max_score", "description", "position")
                }
                data["description"] = data["description"] or ""
                data["position"] = data["position"] or 0
                if obj.pk is None:
                    criterion_add(venture_round=venture_round, actor=request.user, **data)
                else:
                    criterion_update(
                        criterion=ReviewCriterion.objects.get(pk=obj.pk), actor=request.user, **data
                    )
            elif obj.pk is None:
                reviewer_assign(
                    venture_round=venture_round, reviewer=inline_form.reviewer, actor=request.user
                )
