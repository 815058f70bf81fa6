"""Phone numbers: normalised before they are encrypted and hashed, so equal numbers hash equally.

One normalisation and one lookup hash for every phone on the platform (members, volunteers,
sign-ups, user accounts, organizations' contact phones): "138 1234-5678" and "13812345678"
find each other whatever table holds them.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config.personal_data.crypto import keyed_hash, keyed_hashes

_SEPARATORS = re.compile(r"[\s\-()（）－—]+")
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


def validate_phone(value: str | None) -> None:
    """Model-field validator: the value must be a phone once normalised (display forms allowed)."""
    clean_phone(value)


def phone_hash(phone: str | None) -> str:
    """The keyed lookup hash of a phone, in whatever display form ("" for no phone)."""
    phone = normalize_phone(phone)
    return keyed_hash(f"phone:{phone}") if phone else ""


def phone_hash_many(phones: Iterable[str | None]) -> list[str]:
    """`[phone_hash(p) for p in phones]` by one crypto.keyed_hashes (bulk writers;
    KeyedHashField.hashes_of finds it by its name: the hasher's, plus "_many")."""
    normalized = [normalize_phone(phone) for phone in phones]
    filled = [i for i, phone in enumerate(normalized) if phone]
    hashes = [""] * len(normalized)
    for i, digest in zip(filled, keyed_hashes([f"phone:{normalized[i]}" for i in filled]), strict=True):
        hashes[i] = digest
    return hashes
