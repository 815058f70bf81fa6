"""The home page's block of upcoming public events (news.home's extension point)."""

from django.http import HttpRequest

from events.conf import events_setting
from events.selectors import upcoming_public_events


def home_block(request: HttpRequest) -> dict | None:
    events = list(upcoming_public_events(events_setting("PUBLIC_UPCOMING_LIMIT")))
    return {"template": "events/public/_home_block.html", "context": {"events": events}}
