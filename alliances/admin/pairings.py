"""Pairings (结对共建) and their activities; grid pairings (进网格) and their monthly records."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alliances.admin.base import CurrentFilter, ReadOnlyInline, ServiceAdmin, ServiceModelForm
from alliances.forms import MonthField
from alliances.models import GridPairing, GridServiceRecord, Pairing, PairingActivity
from alliances.services.pairings import (
    PAIRING_FIELDS,
    grid_pairing_create,
    grid_pairing_end,
    grid_service_record,
    pairing_activity_record,
    pairing_create,
    pairing_update,
)


class PairingForm(ServiceModelForm):
    class Meta:
        model = Pairing
        fields = (
            "organization",
            "alliance",
            "partner_name",
            "partner_kind",
            "signed_on",
            "ends_on",
            "our_contribution",
            "partner_contribution",
            "is_public",
        )

    def write(self) -> Pairing:
        fields = {f: self.cleaned_data.get(f) for f in PAIRING_FIELDS}
        if self.instance.pk is None:
            return pairing_create(actor=self.actor, **fields)
        return pairing_update(pairing=Pairing.objects.get(pk=self.instance.pk), actor=self.actor, **fields)


class ActivityInline(ReadOnlyInline):
    model = PairingActivity
    fields = readonly_fields = ("on", "title", "participants", "beneficiaries")


@admin.register(Pairing)
class PairingAdmin(ServiceAdmin):
    form = PairingForm
    list_display = ("partner_name", "partner_kind", "side", "signed_on", "ends_on", "is_public")
    list_filter = ("partner_kind", "is_public")
    list_select_related = ("organization", "alliance")
    search_fields = ("partner_name", "organization__name", "alliance__name")
    autocomplete_fields = ("organization", "alliance")
    inlines = (ActivityInline,)

    @admin.display(description=_("organization or alliance"))
    def side(self, obj: Pairing) -> str:
        return obj.side_name


class ActivityForm(ServiceModelForm):
    class Meta:
        model = PairingActivity
        fields = ("pairing", "on", "title", "description", "participants", "beneficiaries")

    def write(self) -> PairingActivity:
        data = self.cleaned_data
        return pairing_activity_record(
            pairing=data["pairing"],
            on=data["on"],
            title=data["title"],
            description=data.get("description", ""),
            participants=data.get("participants") or 0,
            beneficiaries=data.get("beneficiaries") or 0,
            actor=self.actor,
        )


@admin.register(PairingActivity)
class PairingActivityAdmin(ServiceAdmin):
    """Activities are recorded, not edited."""

    form = ActivityForm
    list_display = ("title", "pairing", "on", "participants", "beneficiaries")
    list_select_related = ("pairing", "pairing__organization", "pairing__alliance")
    search_fields = ("title", "pairing__partner_name")
    autocomplete_fields = ("pairing",)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class GridPairingForm(ServiceModelForm):
    class Meta:
        model = GridPairing
        fields = ("organization", "community", "grid_name", "since", "until", "services_planned")

    def write(self) -> GridPairing:
        data = self.cleaned_data
        if self.instance.pk is None:
            return grid_pairing_create(
                organization=data["organization"],
                community=data["community"],
                grid_name=data["grid_name"],
                since=data["since"],
                until=data.get("until"),
                services_planned=data.get("services_planned", ""),
                actor=self.actor,
            )
        current = GridPairing.objects.get(pk=self.instance.pk)
        if data.get("until") and current.until is None:
            return grid_pairing_end(grid_pairing=current, until=data["until"], actor=self.actor)
        return current


class GridRecordInline(ReadOnlyInline):
    model = GridServiceRecord
    fields = readonly_fields = ("month", "services_count", "note", "recorded_by")
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("recorded_by")


class GridCurrentFilter(CurrentFilter):
    end_field = "until"


@admin.register(GridPairing)
class GridPairingAdmin(ServiceAdmin):
    form = GridPairingForm
    list_display = ("grid_name", "community", "organization", "since", "until")
    list_filter = (GridCurrentFilter,)
    list_select_related = ("community", "organization")
    search_fields = ("grid_name", "organization__name", "community__name")
    autocomplete_fields = ("organization", "community")
    inlines = (GridRecordInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: GridPairing | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()  # a past pairing is recorded whole: its end date with it
        return ("organization", "community", "grid_name", "since", "services_planned") + (
            ("until",) if obj.until else ()
        )


class GridRecordForm(ServiceModelForm):
    month = MonthField(label=_("month"))

    class Meta:
        model = GridServiceRecord
        fields = ("grid_pairing", "month", "services_count", "note")

    def write(self) -> GridServiceRecord:
        data = self.cleaned_data
        return grid_service_record(
            grid_pairing=data["grid_pairing"],
            month=data["month"],
            services_count=data["services_count"],
            note=data.get("note", ""),
            actor=self.actor,
        )


@admin.register(GridServiceRecord)
class GridServiceRecordAdmin(ServiceAdmin):
    """One row per grid pairing and month; recorded, not edited."""

    form = GridRecordForm
    list_display = ("grid_pairing", "month", "services_count", "recorded_by")
    list_select_related = ("grid_pairing", "grid_pairing__organization", "recorded_by")
    search_fields = ("grid_pairing__grid_name", "grid_pairing__organization__name")
    autocomplete_fields = ("grid_pairing",)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
