"""Shared pieces of the write API: scoped related fields and service errors as DRF errors."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers
from rest_framework.settings import api_settings


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
        return self.model._default_manager.all().visible_to(getattr(request, "user", None))


def api_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, keyed by field (non-field errors under the usual key)."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return serializers.ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): v
            for key, v in detail.items()
        }
    )


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
