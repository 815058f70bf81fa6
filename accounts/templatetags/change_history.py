"""The change-history page's rows in the reader's words: field labels and choice labels, not codes."""

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()
EMPTY = "—"


def _shown(field, value):
    if value in (None, "None", ""):
        return EMPTY
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    return str(choices.get(value, value))


@register.filter
def change_rows(entry) -> list[tuple[str, str, str]]:
    """(label, before, after) of each recorded field of an audit entry; relations without a column
    (reverse accessors) are left out, empty values shown as a dash."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        old, new = [*list(values), None, None][:2]
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and not getattr(field, "concrete", False):
            continue
        # The system actor's name (accounts.recorded_by; dues entries logged before 0002 as
        # "actor_system") is shown as the entry's actor already.
        if name in ("actor_system", "recorded_by_system"):
            continue
        label = str(field.verbose_name) if field is not None else name
        rows.append(
            (
                label,
                _shown(field, old) if field else old or EMPTY,
                _shown(field, new) if field else new or EMPTY,
            )
        )
    return rows
