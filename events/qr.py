"""QR sign-in: a signed token naming the event (and its current nonce), drawn locally as SVG by segno.

The token carries no expiry of its own: sign-in is accepted in the event's window
(events.services.attendance.signin_window). Changing the event's nonce invalidates old codes.
"""

import io

import segno
from django.core import signing
from django.urls import reverse

from events.models import Event

SALT = "events.signin"


def signin_token(event: Event) -> str:
    return signing.dumps([event.pk, event.signin_nonce], salt=SALT)


def event_for_token(token: str) -> Event | None:
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Event.objects.filter(pk=pk, signin_nonce=nonce)
        .select_related("party_organization", "organization")
        .first()
    )


def signin_path(event: Event) -> str:
    return reverse("events:signin", args=[signin_token(event)])


def qr_svg(url: str) -> bytes:
    """An SVG image of a QR code for `url` (error correction M, dark modules in ink)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=6, border=2, dark="#1f1f1f", xmldecl=True
    )
    return out.getvalue()
