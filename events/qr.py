"""QR sign-in: a signed token naming the event (and its current nonce), drawn locally as SVG by segno.

The token carries no expiry of its own: sign-in is accepted in the event's window
(events.services.attendance.signin_window). Changing the event's nonce invalidates old codes.
"""

import io

import segno
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

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


CODE_DIGITS = 6


def signin_code(event: Event, attendance_pk: int) -> str:
    """The person's own sign-in code for this event (six digits): the organizer hands it out with
    the list, the QR page asks for it with the phone. Keyed on SECRET_KEY, the event's nonce and the
    attendance row, so it cannot be worked out from a phone number, and a new nonce renews every code."""
    digest = salted_hmac(
        "events.signin.code", f"{event.pk}:{event.signin_nonce}:{attendance_pk}", algorithm="sha256"
    ).hexdigest()
    return str(int(digest[:15], 16) % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def signin_path(event: Event) -> str:
    return reverse("events:signin", args=[signin_token(event)])


def qr_svg(url: str) -> bytes:
    """An SVG image of a QR code for `url` (error correction M, dark modules in ink)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=6, border=2, dark="#1f1f1f", xmldecl=True
    )
    return out.getvalue()
