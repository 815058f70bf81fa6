"""Admin of dues, for staff: scoped, read-only rows (services write), bases shown only on their page.

The base changelist shows member, category and month, never the figures; the change page shows
them and logs the showing (members.RevealLog, field "dues_base"), like a reveal. Rolls show their
lines; ledger entries are append-only (corrections are made in the portal).
"""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.admin.scoping import ReadOnlyScopedModelAdmin
from accounts.models import User
from dues.models import DuesBase, DuesEntry, DuesLine, DuesRoll
from dues.services.bases import REVEAL_FIELD
from members.models import RevealLog


@admin.register(DuesBase)
class DuesBaseAdmin(ReadOnlyScopedModelAdmin):
    list_display = ("member", "category", "valid_from", "recorded_at")
    list_filter = ("category",)
    search_fields = ("member__name",)
    list_select_related = ("member",)
    show_full_result_count = False
    fields = readonly_fields = (
        "member",
        "category",
        "monthly_income",
        "pledged_amount",
        "valid_from",
        "note",
        "recorded_by_label",
        "recorded_at",
    )

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)  # 404 outside the scope
        assert isinstance(request.user, User)  # the admin asks for a staff login first
        RevealLog.objects.create(
            member_id=obj.member_id,
            field=REVEAL_FIELD,
            user=request.user,
            reason="admin",
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        return super().change_view(request, object_id, form_url, extra_context)


class DuesLineInline(admin.TabularInline):
    model = DuesLine
    extra = 0
    can_delete = False
    fields = readonly_fields = ("member", "category", "amount_due")

    def get_queryset(self, request: HttpRequest) -> QuerySet[DuesLine]:
        return super().get_queryset(request).select_related("member")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return getattr(request.user, "is_platform_staff", False)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(DuesRoll)
class DuesRollAdmin(ReadOnlyScopedModelAdmin):
    list_display = ("party_organization", "month", "created_at")
    list_select_related = ("party_organization",)
    date_hierarchy = "month"
    search_fields = ("party_organization__name",)
    show_full_result_count = False
    fields = readonly_fields = ("party_organization", "month", "created_at")
    inlines = [DuesLineInline]


@admin.register(DuesEntry)
class DuesEntryAdmin(ReadOnlyScopedModelAdmin):
    list_display = ("line", "kind", "amount", "paid_on", "recorded_by_label", "recorded_at")
    list_select_related = ("line__member", "line__roll__party_organization", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("line__member__name",)
    show_full_result_count = False
    fields = readonly_fields = (
        "line",
        "kind",
        "amount",
        "paid_on",
        "corrects",
        "note",
        "recorded_by_label",
        "recorded_at",
    )
