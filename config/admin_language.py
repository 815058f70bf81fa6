"""Django writes a boolean as an icon whose alt text is the Python value ("True", "False",
"None"), read aloud in English by a screen reader: the alt text becomes 是/否/未知."""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

BOOLEAN_ALT = {True: _("Yes"), False: _("No"), None: _("Unknown")}


def _boolean_icon(field_val: bool | None) -> SafeString:
    name = {True: "yes", False: "no", None: "unknown"}[field_val]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), BOOLEAN_ALT[field_val]
    )


def install() -> None:
    # Django's callers import _boolean_icon from admin_list when they run, so they get this one.
    admin_list._boolean_icon = _boolean_icon  # type: ignore[attr-defined]  # private: not in the stub
