"""Reminders in the admin: a scoped, read-only record of what was issued, to whom and when.

Nothing is added or changed here: reminders are issued by the jobs only.
"""

from django.contrib import admin
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Reminder.Kind.choices

    def queryset(self, request, queryset):
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
    def kind_display(self, obj):
        return obj.kind_label

    @admin.display(description=_("object"))
    def object_link(self, obj):
        url = obj.admin_url
        return format_html('<a href="{}">{}</a>', url, obj.subject) if url else obj.subject

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
