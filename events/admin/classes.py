"""Party-school classes for staff: read-only (classes are run through events.services.classes)."""

from django.contrib import admin

from events.admin.base import ReadOnlyInline, ViewOnlyAdmin
from events.models import PartyClass, PartyClassSession, PartyClassTrainee


class TraineeInline(ReadOnlyInline):
    model = PartyClassTrainee
    fields = readonly_fields = ("member",)


class SessionInline(ReadOnlyInline):
    model = PartyClassSession
    fields = readonly_fields = ("event", "class_hours", "days")


@admin.register(PartyClass)
class PartyClassAdmin(ViewOnlyAdmin):
    list_display = ("name", "party_organization", "starts_on", "ends_on")
    list_select_related = ("party_organization",)
    search_fields = ("name",)
    fields = readonly_fields = ("party_organization", "name", "starts_on", "ends_on")
    inlines = [TraineeInline, SessionInline]
