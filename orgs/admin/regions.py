from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.admin import MPTTAdminForm, MPTTModelAdmin

from accounts.admin_scoping import ScopedModelAdmin
from accounts.admin_tree import TextIndentedTreeAdminMixin
from orgs.models import Region
from orgs.services.regions import region_activation_error, region_create, region_set_active, region_update

# --- Region (administrative divisions) ------------------------------------------------------------


class RegionAdminForm(MPTTAdminForm):
    """Checks what the services would refuse, so the admin shows it on the field instead of failing."""

    actor = None  # set per request by RegionAdmin.get_form

    def clean(self):
        cleaned = super().clean()
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


@admin.register(Region)
class RegionAdmin(TextIndentedTreeAdminMixin, ScopedModelAdmin, MPTTModelAdmin):
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
    list_per_page = 100
    show_full_result_count = False  # no second COUNT(*) over the whole table at country scale

    def get_readonly_fields(self, request, obj=None):
        # Code and place in the tree change only through region_move (recoding).
        return ("code", "kind", "parent") if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only a parent inside the user's scope can be chosen (the autocomplete is scoped too).
            kwargs["queryset"] = Region.objects.visible_to(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.error_messages["invalid_choice"] = _(
                "Choose a parent division that exists and lies inside your own scope."
            )
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Divisions are deactivated, never deleted: users, organizations and history point at them.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            saved = region_update(
                region=obj, name=obj.name, is_active=form.cleaned_data.get("is_active"), actor=request.user
            )
        else:
            saved = region_create(
                code=obj.code,
                name=obj.name,
                kind=obj.kind,
                parent=obj.parent,
                is_active=obj.is_active,
                actor=request.user,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def _set_active(self, request, queryset, is_active: bool) -> int:
        done = 0
        for region in queryset.order_by("tree_id", "lft"):
            try:
                region_set_active(region=region, is_active=is_active, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{region}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        return done

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
