"""Choice labels from a dict made once per field, not once per call.

Django's `get_FOO_display()` and the admin's `display_for_field()` flatten a field's choices and
build a dict of them on every call: on a list page that is every cell of a choice column (a members
list of 50 rows: 150 calls, about 5 ms of CPU at L; docs/benchmarks.md). Fixed choices (a list: the
models' TextChoices) are read once per field here; callable choices are left to Django, which
evaluates them on each call. The labels stay lazy: each call renders them in the active language.
"""

import functools
from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _fixed_labels(field: Field) -> dict:
    return dict(make_hashable(field.flatchoices))


def choice_labels(field: Field) -> dict | None:
    """{value: label} of `field`'s fixed choices (None: no choices, or callable ones)."""
    if not isinstance(field.choices, (list, tuple)):
        return None
    return _fixed_labels(field)


class ChoiceDisplayMixin:
    """A model mixin: `get_FOO_display()` as Django's, from choice_labels()."""

    def _get_FIELD_display(self, field: Field) -> Any:
        labels = choice_labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        value = getattr(self, field.attname)
        # force_str() renders a lazy label, as Django's does.
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
