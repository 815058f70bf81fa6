"""The public events feed in iCalendar (RFC 5545) text: public events only, organizer names, no people.

Written by hand (a few properties); the tests read it back with the icalendar library.
"""

from datetime import UTC, datetime

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
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, *, host: str, url: str) -> list[str]:
    organizer = event.organizer
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_utc(event.updated_at or timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
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


def calendar(events, *, host: str, url_for, name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for event in events:
        lines.extend(event_lines(event, host=host, url=url_for(event)))
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in _fold(line))
