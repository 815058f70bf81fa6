"""Content-Security-Policy on every face: no inline script may run, and the pages need none."""

import re

import pytest
from django.test import Client

from tests.csp import InlineCodeFinder


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def _check_face(response, *, style_attributes_ok: bool = False):
    assert response.status_code == 200, response.status_code
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    policy = _directives(header)
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonces = {
        m for src in script_src + policy.get("style-src", []) for m in re.findall(r"'nonce-([^']+)'", src)
    }
    finder = InlineCodeFinder(nonce=nonces.pop() if nonces else None)
    finder.feed(response.content.decode())
    problems = finder.problems
    if style_attributes_ok:
        problems = [p for p in problems if "style attribute" not in p]
    assert problems == []
    for src in finder.external_scripts:
        assert src.startswith("/"), f"script from another origin: {src}"
    return finder


@pytest.fixture
def client_as():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def test_csp_public_home(db, client_as):
    _check_face(client_as(None).get("/"))


def test_csp_portal_login(db, client_as):
    _check_face(client_as(None).get("/accounts/login/"))


def test_csp_portal_home_logged_in(secretary, client_as):
    _check_face(client_as(secretary).get("/portal/"))


def test_csp_portal_inbox_logged_in(secretary, client_as):
    _check_face(client_as(secretary).get("/portal/inbox/"))


def test_csp_portal_password_change(secretary, client_as):
    _check_face(client_as(secretary).get("/accounts/password/"))


def test_csp_lockout_page(db, client_as):
    client = client_as(None)
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})

    assert response.status_code == 429
    response.status_code = 200  # _check_face wants a page; the 429 is checked above
    _check_face(response)


def test_csp_admin_login(db, client_as):
    _check_face(client_as(None).get("/admin/login/"))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/orgs/region/add/",
        "/admin/auditlog/logentry/",
        "/admin/axes/accessattempt/",
        "/admin/password_change/",
    ],
)
def test_csp_admin_pages_logged_in(superuser, regions, client_as, url):
    _check_face(client_as(superuser).get(url))


def test_csp_admin_region_changelist_runs_no_inline_script(superuser, regions, client_as):
    _check_face(client_as(superuser).get("/admin/orgs/region/"), style_attributes_ok=True)


def test_csp_admin_region_changelist_has_no_style_attributes(superuser, regions, client_as):
    _check_face(client_as(superuser).get("/admin/orgs/region/"))


def test_csp_admin_change_forms_logged_in(superuser, regions, client_as):
    client = client_as(superuser)
    _check_face(client.get(f"/admin/orgs/region/{regions.street_a.pk}/change/"))
    _check_face(client.get(f"/admin/accounts/user/{superuser.pk}/change/"))
    _check_face(client.get(f"/admin/accounts/user/{superuser.pk}/password/"))


def test_csp_api_docs_page_runs_only_external_scripts(db, client_as):
    finder = _check_face(client_as(None).get("/api/docs/"))

    assert any(src.startswith("/static/drf_spectacular_sidecar/") for src in finder.external_scripts)
    assert any(src.startswith("/api/docs/?") and "script" in src for src in finder.external_scripts)


def test_csp_api_docs_init_script_is_same_origin_javascript(db, client_as):
    response = client_as(None).get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.text
    # No badge fetched from the public validator (blocked by img-src, and offline anyway).
    assert '"validatorUrl": null' in response.text


def test_csp_api_docs_static_assets_are_local(db, client_as):
    page = client_as(None).get("/api/docs/").content.decode()

    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith("/"), url
