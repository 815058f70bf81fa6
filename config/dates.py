"""One way to write a date or a time on every page: the reader's locale format (in zh-hans
"2026年12月8日 09:00"), and for machines a `<time datetime>` that the HTML standard accepts (local
time with its offset, whole seconds: no microseconds).

A built-in template library (TEMPLATES' "builtins"): no {% load %} needed.

    {% when event.starts_at %}  → <time datetime="2026-12-08T09:00:00+08:00">2026年12月8日 09:00</time>
    {% when article.published_at "date" %} → <time datetime="2026-12-08">2026年12月8日</time>
    {% when month "month" %}              → <time datetime="2026-12">2026年12月</time>
    {% when event.ends_at "time" %}        → <time datetime="10:30">10:30</time>
    {{ event.starts_at|when }}            → 2026年12月8日 09:00 (text only, e.g. inside blocktranslate)
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import format_html

register = template.Library()

FORMATS = {
    "datetime": "DATETIME_FORMAT",
    "date": "DATE_FORMAT",
    "month": "YEAR_MONTH_FORMAT",
    "time": "TIME_FORMAT",
}


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _kind(value, kind: str | None) -> str:
    if kind:
        if kind not in FORMATS:
            raise template.TemplateSyntaxError(f"when: unknown kind {kind!r} (one of {', '.join(FORMATS)})")
        return kind
    if isinstance(value, dt.datetime):
        return "datetime"
    return "time" if isinstance(value, dt.time) else "date"


def machine(value, kind: str | None = None) -> str:
    """The `datetime` attribute: 2026-12-08T09:00:00+08:00, 2026-12-08, 2026-12 or 09:00."""
    value = _local(value)
    kind = _kind(value, kind)
    if kind == "month":
        return f"{value.year:04d}-{value.month:02d}"
    if kind == "time":
        return value.strftime("%H:%M")
    if kind == "date" or not isinstance(value, dt.datetime):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return value.replace(microsecond=0).isoformat()


@register.filter
def when(value, kind: str | None = None) -> str:
    """The human form, in the active language's format; "" for no value."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return format_date(value, get_format(FORMATS[_kind(value, kind)]))


@register.simple_tag(name="when")
def when_tag(value, kind: str | None = None):
    if value in (None, ""):
        return ""
    return format_html('<time datetime="{}">{}</time>', machine(value, kind), when(value, kind))
