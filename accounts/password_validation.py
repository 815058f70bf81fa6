"""Password rules beyond Django's own validators (see AUTH_PASSWORD_VALIDATORS)."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least `min_classes` of four kinds of character: lower-case, upper-case, digits, symbols.

    Letters outside A–Z (e.g. Chinese characters) count as none of the four, so
    they add length but not variety.
    """

    def __init__(self, min_classes: int = 3):
        if not 1 <= min_classes <= 4:
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    @staticmethod
    def classes_used(password: str) -> int:
        checks = (
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        )
        return sum(checks)

    def validate(self, password, user=None):
        used = self.classes_used(password)
        if used < self.min_classes:
            raise ValidationError(
                _(
                    "This password uses %(used)d of the four kinds of character (lower-case letters, "
                    "upper-case letters, digits, symbols); it must use at least %(min)d."
                ),
                code="password_too_few_character_classes",
                params={"used": used, "min": self.min_classes},
            )

    def get_help_text(self):
        return _(
            "Your password must mix at least %(min)d of these: lower-case letters, "
            "upper-case letters, digits, symbols."
        ) % {"min": self.min_classes}


class UsernameInPasswordValidator:
    """No password that contains the username, whatever the case or around it.

    Django's UserAttributeSimilarityValidator compares the whole strings, so "lihua-Spring-2026"
    passes for the user "lihua"; the username is the first thing an attacker tries.
    """

    min_length = 3  # a shorter username would refuse too many unrelated passwords

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").casefold()
        if len(username) >= self.min_length and username in password.casefold():
            raise ValidationError(
                _("The password must not contain the username."), code="password_contains_username"
            )

    def get_help_text(self):
        return _("Your password must not contain your username.")
