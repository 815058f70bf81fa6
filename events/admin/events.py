from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedModelAdmin
from events.admin.base import ReadOnlyInline, ServiceSaveMixin, ViewOnlyAdmin, run_each
from events.models import Attendance, Event, EventPhoto, PartyGroup
from events.selectors import quorum_for
from events.services.events import event_cancel
from events.services.groups import party_group_create


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = readonly_fields = ("member", "volunteer", "voting", "came", "signed_in_at", "method", "hours")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "volunteer")


class PhotoInline(ReadOnlyInline):
    model = EventPhoto
    fields = readonly_fields = ("thumbnail", "caption", "created_at")


@admin.register(Event)
class EventAdmin(ViewOnlyAdmin):
    list_display = ("title", "kind", "organizer_name", "starts_at", "status", "is_public")
    list_filter = ("kind", "status", "is_public")
    search_fields = ("title",)
    ordering = ("-starts_at", "-id")
    list_select_related = ("party_organization", "organization", "alliance")
    readonly_fields = ("quorum",)
    exclude = ("signin_nonce",)
    inlines = (AttendanceInline, PhotoInline)
    actions = ("cancel_events",)

    @admin.display(description=_("organizer"))
    def organizer_name(self, obj):
        return obj.organizer_name

    @admin.display(description=_("Quorum"))
    def quorum(self, obj):
        quorum = quorum_for(obj)
        if quorum is None:
            return "—"
        return _("%(present)d of %(voting)d voting members present (%(needed)d needed): %(result)s") % {
            "present": quorum.present,
            "voting": quorum.voting,
            "needed": quorum.needed,
            "result": _("quorum reached") if quorum.met else _("no quorum"),
        }

    @admin.action(description=_("Cancel the selected scheduled events"))
    def cancel_events(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda e: event_cancel(event=e, actor=request.user),
            _("%(n)d cancelled."),
        )

    def has_change_permission(self, request, obj=None):  # the actions need it; the form stays read-only
        return self._platform_staff(request)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Event._meta.fields if f.name != "signin_nonce"] + ["quorum"]


@admin.register(PartyGroup)
class PartyGroupAdmin(ServiceSaveMixin, ScopedModelAdmin):
    list_display = ("name", "party_organization")
    search_fields = ("name", "party_organization__name")
    autocomplete_fields = ("party_organization",)
    show_full_result_count = False

    def write(self, request, obj, data):
        if obj is not None:
            raise ValidationError({"name": _("Remove the group and add a new one to rename it.")})
        return party_group_create(
            party_organization=data["party_organization"], name=data["name"], actor=request.user
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and self._platform_staff(request)

    def has_delete_permission(self, request, obj=None):
        return False
