"""Session and token auth coexist: a request with a token is authenticated by the token alone."""

import pytest
from django.test import Client

from orgs.models import Organization
from orgs.uscc import make_uscc
from tests.accounts.factories import PASSWORD

LIST = "/api/v1/organizations/"
TOKEN = "/api/v1/auth/token/"


def _payload(region):
    return {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "uscc": make_uscc("private_non_enterprise", "330482", 31),
        "region": region.code,
        "registered_on": "2021-04-01",
    }


def _token(user) -> str:
    response = Client().post(TOKEN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def browser(street_staff):
    """A browser logged in to the admin, with CSRF checks on as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(street_staff)
    return client


def test_api_write_token_with_stray_session_cookie_is_accepted_without_csrf(browser, street_staff, regions):
    token = _token(street_staff)

    response = browser.post(
        LIST,
        _payload(regions.community_a1),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 201, response.content
    assert Organization.objects.filter(name="东湖阳光社工服务中心").exists()


def test_api_write_session_cookie_alone_still_needs_csrf(browser, regions):
    response = browser.post(LIST, _payload(regions.community_a1), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Organization.objects.exists()


def test_api_write_wrong_token_with_valid_session_is_401_not_the_session_user(browser, regions):
    response = browser.post(
        LIST, _payload(regions.community_a1), content_type="application/json", HTTP_AUTHORIZATION="Token nope"
    )

    assert response.status_code == 401
    assert not Organization.objects.exists()


def test_api_read_anonymous_is_still_403(db):
    assert Client().get(LIST).status_code == 403
