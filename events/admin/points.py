from django.contrib import admin

from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm
from events.admin.base import ReadOnlyInline, ViewOnlyAdmin
from events.models import CharityItem, CharitySupermarket, PointEntry, Volunteer
from events.services.supermarkets import charity_item_save, charity_supermarket_save


class LedgerInline(ReadOnlyInline):
    model = PointEntry
    fk_name = "volunteer"
    fields = readonly_fields = (
        "recorded_at",
        "kind",
        "points",
        "hours",
        "balance_after",
        "note",
        "recorded_by",
    )
    ordering = ("-recorded_at", "-id")


@admin.register(Volunteer)
class VolunteerAdmin(ViewOnlyAdmin):
    list_display = ("name", "region", "balance", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    list_select_related = ("region",)
    ordering = ("name", "id")
    fields = readonly_fields = ("name", "region", "member", "balance", "is_active", "registered_at")
    inlines = (LedgerInline,)


@admin.register(PointEntry)
class PointEntryAdmin(ViewOnlyAdmin):
    """The ledger is append-only: no add, change or delete here (corrections in the portal, with a reason)."""

    list_display = ("recorded_at", "volunteer", "kind", "points", "hours", "balance_after", "note")
    list_filter = ("kind",)
    search_fields = ("volunteer__name", "note")
    list_select_related = ("volunteer",)
    ordering = ("-recorded_at", "-id")
    raw_id_fields = ("volunteer", "attendance", "event", "item", "corrects")
    # Who recorded it as one label (a user, or the system actor's translated name), not the raw pair.
    exclude = ("recorded_by", "recorded_by_system")
    readonly_fields = ("recorded_by_label",)


class CharitySupermarketForm(ServiceModelForm):
    class Meta:
        model = CharitySupermarket
        fields = "__all__"

    def write(self):
        return charity_supermarket_save(actor=self.actor, supermarket=self.original, **self.cleaned_data)


@admin.register(CharitySupermarket)
class CharitySupermarketAdmin(ServiceModelAdmin):
    form = CharitySupermarketForm
    list_display = ("name", "region", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("region",)
    raw_id_fields = ("center",)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False


class CharityItemForm(ServiceModelForm):
    class Meta:
        model = CharityItem
        fields = ("supermarket", "name", "points", "is_active")

    def write(self):
        return charity_item_save(actor=self.actor, item=self.original, **self.cleaned_data)


@admin.register(CharityItem)
class CharityItemAdmin(ServiceModelAdmin):
    form = CharityItemForm
    list_display = ("name", "supermarket", "points", "stock", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "supermarket__name")
    list_select_related = ("supermarket",)
    raw_id_fields = ("supermarket",)
    fields = ("supermarket", "name", "points", "stock", "is_active")
    readonly_fields = ("stock",)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False
