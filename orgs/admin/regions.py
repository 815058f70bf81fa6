from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTAdminForm, MPTTModelAdmin

from accounts.admin.tree import TextIndentedTreeAdminMixin
from config.admin_services import ServiceModelAdmin, run_each
from config.service_forms import ServiceFormMixin
from orgs.models import Region
from orgs.services.regions import region_activation_error, region_create, region_set_active, region_update

# --- Region (administrative divisions) ------------------------------------------------------------


class RegionAdminForm(ServiceFormMixin, MPTTAdminForm):
    """Written by orgs.services.regions; the two checks below name their field before the service runs."""

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        actor = self.actor
        if self.instance.pk is None:
            if cleaned.get("parent") is None and actor is not None and not actor.is_superuser:
                self.add_error(
                    "parent", _("Only a superuser may create a district; choose a parent division.")
                )
        elif cleaned.get("is_active") and not self.instance.is_active:
            error = region_activation_error(self.instance)
            if error:
                self.add_error("is_active", error)
        return cleaned

    def write(self):
        data = self.cleaned_data
        if self.original is not None:
            return region_update(
                region=self.original, name=data["name"], is_active=data.get("is_active"), actor=self.actor
            )
        return region_create(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            is_active=data.get("is_active", True),
            actor=self.actor,
        )


@admin.register(Region)
class RegionAdmin(TextIndentedTreeAdminMixin, ServiceModelAdmin, MPTTModelAdmin):
    """Divisions inside the user's scope; every write goes through orgs.services.regions."""

    form = RegionAdminForm
    list_display = ("tree_name", "code", "kind", "parent", "is_active")
    list_display_links = ("tree_name",)
    list_filter = ("is_active", "kind")
    list_select_related = ("parent",)
    search_fields = ("name", "^code")
    autocomplete_fields = ("parent",)
    actions = ("deactivate_regions", "activate_regions")
    mptt_level_indent = 20
    list_per_page = 50
    show_full_result_count = False  # no second COUNT(*) over the whole table at country scale

    def get_readonly_fields(self, request, obj=None):
        # Code and place in the tree change only through region_move (recoding).
        return ("code", "kind", "parent") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only a parent inside the user's scope can be chosen (the autocomplete is scoped too).
            kwargs["queryset"] = Region.objects.visible_to(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            assert field is not None  # a ForeignKey always has a form field
            field.error_messages["invalid_choice"] = _(
                "Choose a parent division that exists and lies inside your own scope."
            )
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Divisions are deactivated, never deleted: users, organizations and history point at them.
        return False

    def _set_active(self, request, queryset, is_active: bool) -> int:
        return run_each(
            self,
            request,
            queryset.order_by("tree_id", "lft"),
            lambda region: region_set_active(region=region, is_active=is_active, actor=request.user),
        )

    @admin.action(description=_("Deactivate the selected divisions (and everything below them)"))
    def deactivate_regions(self, request, queryset):
        done = self._set_active(request, queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d division deactivated.", "%(count)d divisions deactivated.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activate the selected divisions"))
    def activate_regions(self, request, queryset):
        done = self._set_active(request, queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d division activated.", "%(count)d divisions activated.", done)
            % {"count": done},
            messages.SUCCESS,
        )
