"""django-auditlog's admin, in the reader's language.

Its admin writes "system", "%d change%s: …" and "Correlation ID" verbatim and names a resource
type by its model code; this subclass says them through gettext, with the verbose names.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.filters import CIDFilter, ResourceTypeFilter
from auditlog.render import get_field_verbose_name
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class TranslatedResourceTypeFilter(ResourceTypeFilter):
    title = _("Resource Type")

    def lookups(self, request, model_admin):
        ids = model_admin.get_queryset(request).values_list("content_type_id", flat=True).distinct()
        return sorted(((t.pk, str(t)) for t in ContentType.objects.filter(pk__in=ids)), key=lambda p: p[1])


class TranslatedCIDFilter(CIDFilter):
    title = _("Correlation ID")


class PlatformLogEntryAdmin(LogEntryAdmin):
    list_filter = ["action", TranslatedResourceTypeFilter, TranslatedCIDFilter]
    CID_TITLE = _("Click to filter by records with this correlation id")

    @admin.display(description=_("User"))
    def user_url(self, obj):
        return super().user_url(obj) if obj.actor else gettext("system")

    @admin.display(description=_("Changes"))
    def msg_short(self, obj):
        if obj.action in (obj.Action.DELETE, obj.Action.ACCESS):
            return ""
        changes = obj.changes_dict
        names = "、".join(str(get_field_verbose_name(obj, name)) for name in changes)
        message = ngettext("%(count)d change: %(fields)s", "%(count)d changes: %(fields)s", len(changes))
        return message % {"count": len(changes), "fields": names}

    @admin.display(description=_("Correlation ID"))
    def cid_url(self, obj):
        return super().cid_url(obj)
