from django.contrib import admin

from accounts.admin_scoping import ScopedModelAdmin
from events.admin.base import ReadOnlyInline, ServiceSaveMixin, ViewOnlyAdmin
from events.models import CharityItem, CharitySupermarket, PointEntry, Volunteer
from events.services.supermarkets import charity_item_save, charity_supermarket_save


class LedgerInline(ReadOnlyInline):
    model = PointEntry
    fk_name = "volunteer"
    fields = readonly_fields = ("created_at", "kind", "points", "hours", "balance_after", "note", "actor")
    ordering = ("-created_at", "-id")


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

    list_display = ("created_at", "volunteer", "kind", "points", "hours", "balance_after", "note")
    list_filter = ("kind",)
    search_fields = ("volunteer__name", "note")
    list_select_related = ("volunteer",)
    ordering = ("-created_at", "-id")
    raw_id_fields = ("volunteer", "attendance", "event", "item", "corrects")


@admin.register(CharitySupermarket)
class CharitySupermarketAdmin(ServiceSaveMixin, ScopedModelAdmin):
    list_display = ("name", "region", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("region",)
    raw_id_fields = ("center",)
    show_full_result_count = False

    def write(self, request, obj, data):
        return charity_supermarket_save(actor=request.user, supermarket=obj, **data)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CharityItem)
class CharityItemAdmin(ServiceSaveMixin, ScopedModelAdmin):
    list_display = ("name", "supermarket", "points", "stock", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "supermarket__name")
    list_select_related = ("supermarket",)
    raw_id_fields = ("supermarket",)
    fields = ("supermarket", "name", "points", "stock", "is_active")
    readonly_fields = ("stock",)
    show_full_result_count = False

    def write(self, request, obj, data):
        return charity_item_save(actor=request.user, item=obj, **data)

    def has_delete_permission(self, request, obj=None):
        return False
