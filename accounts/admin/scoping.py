"""Admin base class: every changelist and change form goes through `visible_to(user)`."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.text import capfirst


class ScopedModelAdmin(admin.ModelAdmin):
    """Staff see and change only what `Model.objects.visible_to(user)` returns.

    An object outside the scope answers 404 (Django's default would redirect
    with "does not exist", which tells a prober that the id is valid).
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model._default_manager.all().visible_to(request.user)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _platform_staff(self, request: HttpRequest) -> bool:
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._platform_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._platform_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._platform_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._platform_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._platform_staff(request)

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        """A file input sits in a <fieldset> whose <legend> is its only name (Django 6.1), which
        screen readers and axe do not take as a label: the input is named too."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.FileField):
            field.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return field

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Django's list, less the rows of auto-created many-to-many tables: they go with the object,
        and Django names them by model code ("Article-partyorganization relationship: …
        object (28)"), untranslatable."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        through = [
            field.remote_field.through._meta
            for field in self.model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        ]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in through)
        plurals = {str(opts.verbose_name_plural) for opts in through}
        counts = {name: n for name, n in counts.items() if str(name) not in plurals}
        return _without(deleted, prefixes), counts, perms_needed, protected


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            if inner := _without(item, prefixes):
                kept.append(inner)
        elif not (prefixes and str(item).startswith(prefixes)):
            kept.append(item)
    return kept


class ReadOnlyScopedModelAdmin(ScopedModelAdmin):
    """A scoped admin of rows that services write (history, ledgers): nobody adds, changes or deletes
    them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
