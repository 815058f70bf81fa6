"""Phone numbers: normalised before they are encrypted and hashed, so equal numbers hash equally."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-()（）]+")
_SHAPE = re.compile(r"^\+?\d{7,15}$")


def normalize_phone(raw: str | None) -> str:
    """Digits only (a leading + kept): "138 1234-5678" → "13812345678"."""
    if raw is None:
        return ""
    return _SEPARATORS.sub("", str(raw))


def clean_phone(raw: str | None) -> str:
    """The normalised phone, or ValidationError saying why it is not one ("" stays "")."""
    phone = normalize_phone(raw)
    if phone and not _SHAPE.match(phone):
        raise ValidationError(
            _("A phone number has 7 to 15 digits (spaces and hyphens allowed), e.g. 13812345678."),
            code="phone_format",
        )
    return phone
