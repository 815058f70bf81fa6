"""Democratic appraisals for staff: read-only (secretaries record them in the portal)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from events.admin.base import ReadOnlyInline, ViewOnlyAdmin
from events.models import Appraisal, AppraisalResult


class AppraisalResultInline(ReadOnlyInline):
    model = AppraisalResult
    fields = readonly_fields = ("member", "result", "reason", "recorded_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AppraisalResult]:
        return super().get_queryset(request).select_related("member")


@admin.register(Appraisal)
class AppraisalAdmin(ViewOnlyAdmin):
    list_display = ("party_organization", "year", "meeting")
    list_filter = ("year",)
    list_select_related = ("party_organization", "meeting")
    search_fields = ("party_organization__name",)
    fields = readonly_fields = ("party_organization", "year", "meeting", "created_at")
    inlines = [AppraisalResultInline]
