"""The client's address, the one way every log and limit reads it.

Used by django-axes (AXES_CLIENT_IP_CALLABLE), the change log (accounts.audit's middleware),
the reveal log and the rate limits (RATELIMIT_IP_META_KEY). Without a proxy it is
REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT proxies (nginx appends the address it saw to
X-Forwarded-For) REMOTE_ADDR is the proxy's for every user, so the client is the entry
that many places from the right; entries further left were written by the client itself
and are ignored (anyone can forge them).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [::1]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # 1.2.3.4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as the trusted proxies saw it; None when it cannot be told."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return _valid(hops[-proxies])
        # Fewer hops than proxies: the request did not come through them all; the nearest is all we know.
    return _valid(request.META.get("REMOTE_ADDR") or "")
