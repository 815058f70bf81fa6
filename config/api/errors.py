"""The API's one translation of a service's refusal (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Services raise Django's ValidationError (keyed by field, or a bare message) and PermissionDenied.
A view lets them through; here a ValidationError becomes a 400 whose body names each field (a
message without a field under DRF's non-field key), in the request's language (the messages are
rendered while the request's language is active). PermissionDenied and Http404 keep DRF's own
translation (403, 404).
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def api_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, keyed by field (non-field errors under the usual key)."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    return serializers.ValidationError(
        {(non_field if key == NON_FIELD_ERRORS else key): value for key, value in detail.items()}
    )


def service_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = api_errors(exc)
    return drf_exception_handler(exc, context)
