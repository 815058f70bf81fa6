"""Venture applications (ranking by average review total, award decisions), milestones, evaluations.

Applications arrive from the portal; here staff read them ranked and decide awards. Street staff
see the applications of their own organizations, read-only.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import F, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alliances.admin.base import ReadOnlyInline, ServiceAdmin, ServiceModelForm
from alliances.models import (
    BudgetLine,
    FinalEvaluation,
    ProjectMilestone,
    Review,
    VentureApplication,
    VentureRound,
)
from alliances.selectors import with_average_score
from alliances.services.actors import is_round_manager
from alliances.services.awards import application_award, application_decline
from alliances.services.milestones import final_evaluation_record, milestone_accept, project_milestone_add

AWARD, DECLINE = "award", "decline"


class RoundFilter(admin.SimpleListFilter):
    """The rounds the user sees (not every round of every district)."""

    title = _("round")
    parameter_name = "round__id__exact"

    def lookups(self, request: HttpRequest, model_admin: ModelAdmin) -> Any:
        rounds = VentureRound.objects.visible_to(request.user).order_by("-opens_on", "-pk")[:50]
        return [(str(r.pk), r.name) for r in rounds]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(round_id=self.value()) if self.value() else queryset


class DecisionForm(ServiceModelForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("", "—"), (AWARD, _("Award")), (DECLINE, _("Do not award"))],
        required=False,
    )

    class Meta:
        model = VentureApplication
        fields = ("awarded_amount", "decision_note")

    def write(self) -> VentureApplication:
        data = self.cleaned_data
        current = VentureApplication.objects.get(pk=self.instance.pk)
        if data.get("decision") == AWARD:
            return application_award(
                application=current,
                amount=data.get("awarded_amount"),
                note=data.get("decision_note", ""),
                actor=self.actor,
            )
        if data.get("decision") == DECLINE:
            return application_decline(
                application=current, note=data.get("decision_note", ""), actor=self.actor
            )
        return current


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = readonly_fields = ("category", "description", "amount")
    show_change_link = False


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = readonly_fields = ("reviewer", "total", "comment", "submitted_at")
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("reviewer").prefetch_related("scores")

    @admin.display(description=_("total score"))
    def total(self, obj: Review) -> int:
        return sum(s.score for s in obj.scores.all())


class MilestoneInline(ReadOnlyInline):
    model = ProjectMilestone
    fields = readonly_fields = ("title", "due_on", "reported_at", "accepted_at")


@admin.register(VentureApplication)
class VentureApplicationAdmin(ServiceAdmin):
    form = DecisionForm
    list_display = (
        "title",
        "organization",
        "round",
        "status",
        "requested_amount",
        "average_total",
        "review_count",
        "awarded_amount",
    )
    list_filter = (RoundFilter, "status")
    list_select_related = ("organization", "round")
    search_fields = ("title", "organization__name")
    readonly_fields = (
        "round",
        "organization",
        "title",
        "summary",
        "party_building_element",
        "beneficiaries_planned",
        "total_budget",
        "requested_amount",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_at",
        "decided_by",
        "average_total",
        "review_count",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "round",
                    "organization",
                    "title",
                    "summary",
                    "party_building_element",
                    "beneficiaries_planned",
                    "total_budget",
                    "requested_amount",
                    "submitted_by",
                    "submitted_at",
                )
            },
        ),
        (_("Review"), {"fields": ("average_total", "review_count")}),
        (
            _("Decision"),
            {"fields": ("status", "decision", "awarded_amount", "decision_note", "decided_at", "decided_by")},
        ),
    )
    inlines = (BudgetLineInline, ReviewInline, MilestoneInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_average_score(super().get_queryset(request).select_related("organization", "round"))

    def get_ordering(self, request: HttpRequest) -> Any:
        # The changelist ranks by average review total (unreviewed last). Other admins' forms
        # order their application choices by this too, on a queryset without the annotation.
        match = request.resolver_match
        if match is not None and match.url_name == "alliances_ventureapplication_changelist":
            return [F("average_total").desc(nulls_last=True), "submitted_at"]
        return ["-submitted_at"]

    def get_fieldsets(self, request: HttpRequest, obj: VentureApplication | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not is_round_manager(request.user, obj.round):
            return fieldsets[:2]
        return fieldsets

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # applications are submitted in the portal

    def has_change_permission(self, request: HttpRequest, obj: VentureApplication | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or is_round_manager(request.user, obj.round)

    @admin.display(description=_("average total score"), ordering="average_total")
    def average_total(self, obj: Any) -> Any:  # annotated by the changelist query
        return obj.average_total if obj.average_total is not None else "—"

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, obj: Any) -> int:  # annotated by the changelist query
        return obj.review_count


class MilestoneForm(ServiceModelForm):
    accept = forms.BooleanField(label=_("accept the report"), required=False)

    class Meta:
        model = ProjectMilestone
        fields = ("application", "title", "due_on", "staff_note")

    def write(self) -> ProjectMilestone:
        data = self.cleaned_data
        if self.instance.pk is None:
            return project_milestone_add(
                application=data["application"], title=data["title"], due_on=data["due_on"], actor=self.actor
            )
        current = ProjectMilestone.objects.get(pk=self.instance.pk)
        if data.get("accept") or (current.accepted_at and data.get("staff_note") != current.staff_note):
            return milestone_accept(milestone=current, note=data.get("staff_note", ""), actor=self.actor)
        return current


@admin.register(ProjectMilestone)
class ProjectMilestoneAdmin(ServiceAdmin):
    form = MilestoneForm
    list_display = ("title", "application", "due_on", "reported_at", "accepted_at")
    list_select_related = ("application",)
    search_fields = ("title", "application__title", "application__organization__name")
    autocomplete_fields = ("application",)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("application", "title", "due_on")
        return (
            "application",
            "title",
            "due_on",
            "report",
            "reported_at",
            "accept",
            "accepted_at",
            "staff_note",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("application", "title", "due_on", "report", "reported_at", "accepted_at")


class EvaluationForm(ServiceModelForm):
    class Meta:
        model = FinalEvaluation
        fields = ("application", "score", "text", "evaluated_on")

    def write(self) -> FinalEvaluation:
        data = self.cleaned_data
        return final_evaluation_record(
            application=data["application"],
            score=data["score"],
            text=data["text"],
            evaluated_on=data["evaluated_on"],
            actor=self.actor,
        )


@admin.register(FinalEvaluation)
class FinalEvaluationAdmin(ServiceAdmin):
    """Recorded once per project (which becomes completed); read-only afterwards."""

    form = EvaluationForm
    list_display = ("application", "score", "evaluated_on")
    list_select_related = ("application",)
    search_fields = ("application__title", "application__organization__name")
    autocomplete_fields = ("application",)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
