from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_services import ServiceModelAdmin, run_each
from config.service_forms import ServiceModelForm
from events.admin.base import ReadOnlyInline, ViewOnlyAdmin
from events.models import Booking, Room, ServiceCenter
from events.services.bookings import booking_approve, booking_reject
from events.services.centers import room_create, room_update, service_center_create, service_center_update


class RoomInline(ReadOnlyInline):
    model = Room
    fields = readonly_fields = ("name", "capacity", "opens_at", "closes_at", "open_weekdays", "is_active")
    show_change_link = True


class ServiceCenterForm(ServiceModelForm):
    class Meta:
        model = ServiceCenter
        fields = ("name", "level", "region", "address", "description", "is_active")

    def write(self):
        if self.original is None:
            return service_center_create(actor=self.actor, **self.cleaned_data)
        return service_center_update(center=self.original, actor=self.actor, **self.cleaned_data)


@admin.register(ServiceCenter)
class ServiceCenterAdmin(ServiceModelAdmin):
    form = ServiceCenterForm
    list_display = ("name", "level", "region", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("region",)
    inlines = (RoomInline,)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False


class RoomForm(ServiceModelForm):
    class Meta:
        model = Room
        fields = (
            "center",
            "name",
            "capacity",
            "facilities",
            "opens_at",
            "closes_at",
            "open_weekdays",
            "is_active",
        )

    def write(self):
        if self.original is None:
            return room_create(actor=self.actor, **self.cleaned_data)
        fields = {k: v for k, v in self.cleaned_data.items() if k != "center"}
        return room_update(room=self.original, actor=self.actor, **fields)


@admin.register(Room)
class RoomAdmin(ServiceModelAdmin):
    form = RoomForm
    list_display = ("name", "center", "capacity", "opens_at", "closes_at", "is_active")
    list_filter = ("is_active", "center__level")
    search_fields = ("name", "center__name")
    list_select_related = ("center",)
    raw_id_fields = ("center",)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ViewOnlyAdmin):
    list_display = ("room", "starts_at", "ends_at", "purpose", "on_behalf_of", "status")
    list_filter = ("status",)
    search_fields = ("purpose", "room__name", "room__center__name")
    list_select_related = ("room__center", "party_organization", "organization", "requested_by")
    ordering = ("-starts_at", "-id")
    actions = ("approve", "reject")

    @admin.display(description=_("for"))
    def on_behalf_of(self, obj):
        return obj.on_behalf_of

    @admin.action(description=_("Approve the selected pending bookings"))
    def approve(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda b: booking_approve(booking=b, actor=request.user),
            _("%(n)d approved."),
        )

    @admin.action(description=_("Reject the selected pending bookings"))
    def reject(self, request, queryset):
        run_each(
            self,
            request,
            queryset,
            lambda b: booking_reject(
                booking=b, actor=request.user, note=str(_("Rejected by the center's staff."))
            ),
            _("%(n)d rejected."),
        )

    def has_change_permission(self, request, obj=None):  # the actions need it; the form stays read-only
        return self._platform_staff(request)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Booking._meta.fields]
