"""A member's history rows (StageChange) in the admin: staff correct a row's date, document or note, or
remove a row entered by mistake, through members.services.stage_corrections (re-checked against the
member's periods; django-auditlog records the old and new values). Rows are added by the stage and
status services only, never here."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm
from members.models import StageChange
from members.services.stage_corrections import stage_change_correct, stage_change_remove


class StageChangeForm(ServiceModelForm):
    class Meta:
        model = StageChange
        fields = ("on", "document", "note")

    def write(self) -> Any:
        data = self.cleaned_data
        return stage_change_correct(
            change=StageChange.objects.get(pk=self.instance.pk),
            on=data.get("on"),
            document=data.get("document", ""),
            note=data.get("note", ""),
            actor=self.actor,
        )


@admin.register(StageChange)
class StageChangeAdmin(ServiceModelAdmin):
    form = StageChangeForm
    fields = (
        "member",
        "from_stage",
        "to_stage",
        "to_status",
        "on",
        "document",
        "note",
        "recorded_by_label",
        "recorded_at",
    )
    readonly_fields = ("member", "from_stage", "to_stage", "to_status", "recorded_by_label", "recorded_at")
    list_display = ("member", "from_stage", "to_stage", "to_status", "on", "recorded_by_label")
    list_filter = ("to_stage", "to_status")
    list_select_related = ("member", "recorded_by")
    search_fields = ("member__name",)
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request: Any) -> Any:
        return False  # steps are taken through the stage and status services

    def has_change_permission(self, request: Any, obj: Any = None) -> Any:
        return getattr(request.user, "is_platform_staff", False) or request.user.is_superuser

    def has_delete_permission(self, request: Any, obj: Any = None) -> Any:
        return self.has_change_permission(request, obj)

    def delete_model(self, request: Any, obj: Any) -> Any:
        stage_change_remove(change=obj, actor=request.user)

    def delete_view(self, request: Any, object_id: Any, extra_context: Any = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("/delete/", 1)[0] + "/change/")

    def get_actions(self, request: Any, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # one row at a time, each checked by the service
        return actions
