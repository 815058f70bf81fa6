from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from accounts.admin_scoping import ScopedModelAdmin
from orgs.models import Region
from orgs.services.regions import region_create, region_update


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin, MPTTModelAdmin):
    list_display = ("name", "code", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    mptt_level_indent = 20

    def get_readonly_fields(self, request, obj=None):
        # Code and place in the tree change only through region_move (recoding).
        return ("code", "kind", "parent") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            region_update(region=obj, name=obj.name, is_active=obj.is_active)
        else:
            created = region_create(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent)
            obj.pk = created.pk

    @admin.display(description=_("level"))
    def level_display(self, obj):
        return obj.get_kind_display()
