"""Alliances, memberships, programs, program milestones and (append-only) progress entries."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alliances.admin.base import CurrentFilter, ReadOnlyInline, ServiceAdmin, ServiceModelForm
from alliances.models import Alliance, AllianceMembership, Pairing, Program, ProgramMilestone, ProgramProgress
from alliances.selectors import with_beneficiaries_reached
from alliances.services.alliances import (
    ALLIANCE_FIELDS,
    alliance_create,
    alliance_update,
    membership_add,
    membership_end,
)
from alliances.services.programs import (
    PROGRAM_FIELDS,
    program_create,
    program_milestone_achieve,
    program_milestone_add,
    program_progress_record,
    program_update,
)


class AllianceForm(ServiceModelForm):
    class Meta:
        model = Alliance
        fields = tuple(sorted(ALLIANCE_FIELDS))

    def write(self) -> Alliance:
        fields = {f: self.cleaned_data[f] for f in ALLIANCE_FIELDS if f in self.cleaned_data}
        if self.instance.pk is None:
            return alliance_create(actor=self.actor, **fields)
        return alliance_update(alliance=Alliance.objects.get(pk=self.instance.pk), actor=self.actor, **fields)


class MembershipInline(ReadOnlyInline):
    model = AllianceMembership
    fields = readonly_fields = ("organization", "joined_on", "left_on", "note")
    verbose_name_plural = _("members (add and end memberships under “Alliance memberships”)")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organization").order_by("left_on", "joined_on")


class ProgramInline(ReadOnlyInline):
    model = Program
    fields = readonly_fields = ("name", "budget", "started_on", "ended_on", "is_public")


class AlliancePairingInline(ReadOnlyInline):
    model = Pairing
    fk_name = "alliance"
    fields = readonly_fields = ("partner_name", "partner_kind", "signed_on", "ends_on")


@admin.register(Alliance)
class AllianceAdmin(ServiceAdmin):
    form = AllianceForm
    fieldsets = (
        (None, {"fields": ("name", "kind", "other_kind", "lead_organization", "party_organization")}),
        (_("About"), {"fields": ("description", "founded_on", "dissolved_on", "is_public")}),
    )
    list_display = (
        "name",
        "kind_label",
        "lead_organization",
        "party_organization",
        "member_count",
        "is_public",
    )
    list_filter = ("kind", "is_public")
    list_select_related = ("lead_organization", "party_organization")
    search_fields = ("name", "lead_organization__name")
    autocomplete_fields = ("lead_organization", "party_organization")
    inlines = (MembershipInline, ProgramInline, AlliancePairingInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("lead_organization", "party_organization")
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        )

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj: Alliance) -> str:
        return obj.kind_label

    @admin.display(description=_("current members"), ordering="member_count")
    def member_count(self, obj: Any) -> int:  # annotated by the changelist query
        return obj.member_count


class MembershipForm(ServiceModelForm):
    class Meta:
        model = AllianceMembership
        fields = ("alliance", "organization", "joined_on", "left_on", "note")

    def write(self) -> AllianceMembership:
        data = self.cleaned_data
        if self.instance.pk is None:
            return membership_add(
                alliance=data["alliance"],
                organization=data["organization"],
                joined_on=data["joined_on"],
                left_on=data.get("left_on"),
                note=data.get("note", ""),
                actor=self.actor,
            )
        current = AllianceMembership.objects.get(pk=self.instance.pk)
        if data.get("left_on") and current.left_on is None:
            return membership_end(membership=current, left_on=data["left_on"], actor=self.actor)
        return current


@admin.register(AllianceMembership)
class AllianceMembershipAdmin(ServiceAdmin):
    form = MembershipForm
    list_display = ("organization", "alliance", "joined_on", "left_on")
    list_filter = (CurrentFilter, "alliance")
    list_select_related = ("organization", "alliance")
    search_fields = ("organization__name", "alliance__name")
    autocomplete_fields = ("alliance", "organization")

    def get_readonly_fields(
        self, request: HttpRequest, obj: AllianceMembership | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()  # a past membership is recorded whole: its end date with it
        return ("alliance", "organization", "joined_on", "note") + (("left_on",) if obj.left_on else ())


class ProgramForm(ServiceModelForm):
    class Meta:
        model = Program
        fields = ("alliance", *sorted(PROGRAM_FIELDS))

    def write(self) -> Program:
        fields = {f: self.cleaned_data[f] for f in PROGRAM_FIELDS if f in self.cleaned_data}
        if self.instance.pk is None:
            return program_create(alliance=self.cleaned_data["alliance"], actor=self.actor, **fields)
        return program_update(program=Program.objects.get(pk=self.instance.pk), actor=self.actor, **fields)


class ProgramMilestoneInline(ReadOnlyInline):
    model = ProgramMilestone
    fields = readonly_fields = ("title", "due_on", "achieved_on", "note")


class ProgressInline(ReadOnlyInline):
    model = ProgramProgress
    fields = readonly_fields = ("on", "beneficiaries_added", "note", "recorded_by", "recorded_at")
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Program)
class ProgramAdmin(ServiceAdmin):
    form = ProgramForm
    list_display = (
        "name",
        "alliance",
        "budget",
        "beneficiaries_reached",
        "started_on",
        "ended_on",
        "is_public",
    )
    list_filter = ("is_public", "alliance")
    list_select_related = ("alliance",)
    search_fields = ("name", "alliance__name")
    autocomplete_fields = ("alliance",)
    inlines = (ProgramMilestoneInline, ProgressInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_beneficiaries_reached(super().get_queryset(request).select_related("alliance"))

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("alliance",) if obj is not None else ()

    @admin.display(description=_("beneficiaries reached"), ordering="beneficiaries_reached")
    def beneficiaries_reached(self, obj: Any) -> Any:  # annotated by the changelist query
        return obj.beneficiaries_reached


class ProgramMilestoneForm(ServiceModelForm):
    class Meta:
        model = ProgramMilestone
        fields = ("program", "title", "due_on", "note", "achieved_on")

    def write(self) -> ProgramMilestone:
        data = self.cleaned_data
        if self.instance.pk is None:
            return program_milestone_add(
                program=data["program"],
                title=data["title"],
                due_on=data["due_on"],
                note=data.get("note", ""),
                actor=self.actor,
            )
        current = ProgramMilestone.objects.get(pk=self.instance.pk)
        if data.get("achieved_on") and data["achieved_on"] != current.achieved_on:
            return program_milestone_achieve(
                milestone=current, achieved_on=data["achieved_on"], actor=self.actor
            )
        return current


@admin.register(ProgramMilestone)
class ProgramMilestoneAdmin(ServiceAdmin):
    form = ProgramMilestoneForm
    list_display = ("title", "program", "due_on", "achieved_on")
    list_select_related = ("program",)
    search_fields = ("title", "program__name")
    autocomplete_fields = ("program",)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("achieved_on",) if obj is None else ("program", "title", "due_on", "note")


class ProgressForm(ServiceModelForm):
    class Meta:
        model = ProgramProgress
        fields = ("program", "on", "beneficiaries_added", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def write(self) -> ProgramProgress:
        data = self.cleaned_data
        return program_progress_record(
            program=data["program"],
            on=data["on"],
            beneficiaries_added=data["beneficiaries_added"],
            note=data.get("note", ""),
            actor=self.actor,
        )


@admin.register(ProgramProgress)
class ProgramProgressAdmin(ServiceAdmin):
    """Append-only: entries are added and read, never changed (a correction is a new entry)."""

    form = ProgressForm
    list_display = ("program", "on", "beneficiaries_added", "recorded_by", "recorded_at")
    list_select_related = ("program", "recorded_by")
    search_fields = ("program__name", "note")
    autocomplete_fields = ("program",)
    date_hierarchy = None

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
