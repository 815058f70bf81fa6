"""Gate (a) of issue 13: every URL pattern of the project is walked; a non-public one must refuse an
anonymous visitor (a redirect to a login page, 401 or 403) for GET and for POST.

PUBLIC lists, by name, what anyone may open. A new route is non-public unless added there, so
forgetting `login_required` on a new view fails this test. The counts go to the terminal.
"""

import re

import pytest
from django.test import Client

from tests.security.url_walk import walk

pytestmark = pytest.mark.django_db

# Open to anyone by design (DESIGN.md: public pages and the public API; the login flows).
PUBLIC = re.compile(
    r"^("
    r"public:.*|news:.*|directory:.*|events:.*|alliances:.*"  # public pages, feeds, the QR sign-in
    r"|healthz|robots|media|set_language|i18n/.*"  # media: config.media answers per row
    r"|accounts:(login|logout|password_reset.*|password_reset_done|password_reset_confirm|password_reset_complete)"
    r"|admin:(login|logout|password_reset.*|jsi18n|view_on_site|javascript-catalog)"
    r"|api-token|api-schema|api-docs"
    r"|alliance-(list|detail)|venture-round-(list|detail)"  # the public API (AllowAny, for_public)
    r"|static/.*|media/.*"
    r")$"
)
REFUSED = {401, 403}


def _refuses(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302):
        return "login" in response.get("Location", "")
    return False


def test_every_non_public_route_refuses_anonymous(capsys):
    routes = walk()
    public = [r for r in routes if PUBLIC.match(r.name)]
    guarded = [r for r in routes if not PUBLIC.match(r.name)]
    client = Client(enforce_csrf_checks=False)
    failures = []
    for route in guarded:
        answers = {}
        for method in ("get", "post"):
            response = getattr(client, method)(route.path)
            answers[method] = response.status_code
            if response.status_code == 405:
                continue  # that method is not served at all
            if not _refuses(response):
                failures.append(f"{route.name} {method.upper()} {route.path} → {response.status_code}")
    with capsys.disabled():
        print(
            f"\nURL gate: {len(routes)} routes, {len(public)} public, {len(guarded)} non-public, "
            f"{len(guarded) - len({f.split()[0] for f in failures})} shown to refuse anonymous users"
        )
    assert failures == [], "\n".join(failures)
