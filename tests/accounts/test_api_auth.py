"""Session and token auth coexist: a request with a token is authenticated by the token alone."""

from datetime import timedelta

import pytest
from django.test import Client

from orgs.models import Organization
from orgs.uscc import make_uscc
from tests.accounts.factories import PASSWORD, api_token_for

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
    return api_token_for(user)


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


# Tokens (django-rest-knox): hashed, expiring, revoked by logout and by a password change.
NEW_PASSWORD = "Hongqi-Piaopiao-2026"


def _me(token: str, **extra):
    return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}", **extra)


def test_api_token_is_stored_only_as_a_hash_and_expires(secretary):
    from knox.models import AuthToken

    response = Client().post(TOKEN, {"username": "secretary", "password": PASSWORD})
    token = response.json()["token"]

    [row] = AuthToken.objects.filter(user=secretary)
    assert token not in (row.digest, row.token_key)
    assert len(row.token_key) < len(token)
    assert row.expiry is not None
    assert response.json()["expiry"]
    assert _me(token).json()["username"] == "secretary"


def test_api_token_expired_is_refused(secretary, settings):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = _token(secretary)
    ttl = settings.REST_KNOX["TOKEN_TTL"]

    with time_machine.travel(start + ttl - timedelta(minutes=1), tick=False):
        assert _me(token).status_code == 200
    with time_machine.travel(start + ttl + timedelta(minutes=1), tick=False):
        assert _me(token).status_code == 401


def test_api_token_logout_revokes_this_token_only(secretary):
    token, other = _token(secretary), _token(secretary)

    response = Client().post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 204
    assert _me(token).status_code == 401
    assert _me(other).status_code == 200


def test_api_token_logout_all_revokes_every_token(secretary):
    token, other = _token(secretary), _token(secretary)

    assert Client().post("/api/v1/auth/logout-all/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 204

    assert _me(token).status_code == 401
    assert _me(other).status_code == 401


def test_api_token_portal_password_change_revokes_it(secretary):
    token = _token(secretary)
    client = Client()
    client.force_login(secretary)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert _me(token).status_code == 401


def test_api_token_admin_sets_password_of_another_user_revokes_theirs(secretary, superuser):
    token = _token(secretary)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        f"/admin/accounts/user/{secretary.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content
    assert _me(token).status_code == 401


def test_api_token_other_save_of_the_user_keeps_it(secretary):
    token = _token(secretary)
    secretary.first_name = "丽"
    secretary.save()

    assert _me(token).status_code == 200


def test_api_token_wrong_password_gives_no_token(secretary):
    response = Client().post(TOKEN, {"username": "secretary", "password": "nope"})

    assert response.status_code == 400
    assert "token" not in response.json()


def test_api_me_without_scope_region_matches_its_schema(secretary):
    """Found by the API gate (schemathesis): a null the schema did not allow."""
    client = Client()
    client.force_login(secretary)

    me = client.get("/api/v1/me/").json()
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert me["scope_region"] is None
    assert schema["components"]["schemas"]["MeOutput"]["properties"]["scope_region"]["nullable"] is True
