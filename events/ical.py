"""The public events feed in iCalendar (RFC 5545) text: public events only, organizer names, no people.

Written by hand (a few properties); the tests read it back with the icalendar library.
Times are local (Asia/Shanghai) with the VTIMEZONE that defines them (China keeps +08:00 all
year, so one STANDARD block is the whole rule). UIDs name the event and settings.SITE_DOMAIN,
never the Host header of the request: a subscriber reaching the site under two names must see
one event, not two.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from events.models import Event

PRODID = "-//Party building platform//Public events//ZH"


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Fold lines past 75 octets (continuations start with a space), never inside a character."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


TZID = "Asia/Shanghai"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(TZID)).strftime("%Y%m%dT%H%M%S")


def uid(event: Event) -> str:
    return f"event-{event.pk}@{settings.SITE_DOMAIN}"


def event_lines(event: Event, *, url: str) -> list[str]:
    organizer = event.organizer
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(event)}",
        f"DTSTAMP:{_utc(event.updated_at or timezone.now())}",
        f"DTSTART;TZID={TZID}:{_local(event.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(event.ends_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"CATEGORIES:{_escape(event.get_kind_display())}",
        f"STATUS:{'CONFIRMED' if event.status != Event.Status.CANCELLED else 'CANCELLED'}",
        f"URL:{url}",
    ]
    if event.place_label:
        lines.append(f"LOCATION:{_escape(event.place_label)}")
    description = "\n".join(part for part in (str(organizer or ""), event.description) if part)
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, url_for: Callable[[Event], str], name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        lines.extend(event_lines(event, url=url_for(event)))
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in _fold(line))
