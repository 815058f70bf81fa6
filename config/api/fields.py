"""Shared pieces of the API: bounded date inputs (config.date_bounds' twins), scoped related fields
(service errors become DRF errors in config.api.errors)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers

from accounts.actors import PUBLIC
from config.date_bounds import BoundedDateField, BoundedDateTimeField, date_in_range


class BoundedDateTimeSerializerField(serializers.DateTimeField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [date_in_range])
        super().__init__(*args, **kwargs)

    def enforce_timezone(self, value):
        date_in_range(value)  # before the conversion: year 1 at UTC+8 would underflow it
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            date_in_range.fail_range()


class BoundedDateSerializerField(serializers.DateField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [date_in_range])
        super().__init__(*args, **kwargs)


class BoundedDateTimeFilter(django_filters.DateTimeFilter):
    field_class = BoundedDateTimeField


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row chosen by id among those the requesting user may see: an id outside the scope
    answers like one that does not exist (no probing)."""

    default_error_messages = {
        "does_not_exist": _("No record with the id {pk_value} is visible to you."),
        "incorrect_type": _("Give the record's id (a whole number), not {data_type}."),
    }

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        # No request (the schema generator): the public's view, never None.
        viewer = getattr(request, "user", None) or PUBLIC
        return self.model._default_manager.all().visible_to(viewer)


class IsPlatformStaffOrReadOnly(permissions.BasePermission):
    """Reading follows visible_to; only district/street staff (and superusers) create and change."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or getattr(request.user, "is_platform_staff", False)


class ExternalIdField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault(
            "help_text",
            _(
                "The source system's key for this record, unique per district: sending it again updates the "
                "record instead of creating another."
            ),
        )
        super().__init__(**kwargs)
