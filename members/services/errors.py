"""ValidationError keyed by field whose messages carry a code (tests and callers branch on the code)."""

from django.core.exceptions import ValidationError


def coded(errors: dict, *, code: str) -> ValidationError:
    """{field: message} → ValidationError whose every message has `code` (a dict error drops it)."""
    return ValidationError({field: ValidationError(message, code=code) for field, message in errors.items()})
