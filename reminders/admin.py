"""Reminders in the admin: a scoped, read-only record of what was issued, to whom and when.

Nothing is added or changed here: reminders are issued by the jobs only.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin.scoping import ScopedModelAdmin
from reminders.models import Reminder, ReminderDelivery


class ReminderDeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    fields = ("recipient", "channel", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReminderDelivery]:
        return super().get_queryset(request).select_related("recipient")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: ModelAdmin) -> list[tuple[str, Any]]:
        return Reminder.Kind.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(kind__startswith=f"{value}.") | queryset.filter(kind=value)


@admin.register(Reminder)
class ReminderAdmin(ScopedModelAdmin):
    list_display = (
        "subject",
        "kind_display",
        "period",
        "stage",
        "due_on",
        "region",
        "created_at",
        "object_link",
    )
    list_filter = ("stage", KindFilter)
    search_fields = ("subject", "title")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    list_select_related = ("region",)
    show_full_result_count = False  # no unbounded COUNT on a large table
    fields = (
        "kind",
        "subject",
        "period",
        "stage",
        "due_on",
        "region",
        "title",
        "body",
        "url",
        "created_at",
        "object_link",
    )
    readonly_fields = fields
    inlines = [ReminderDeliveryInline]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj: Reminder) -> str:
        return obj.kind_label

    @admin.display(description=_("object"))
    def object_link(self, obj: Reminder) -> str:
        url = obj.admin_url
        return format_html('<a href="{}">{}</a>', url, obj.subject) if url else obj.subject

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
