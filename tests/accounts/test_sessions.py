"""Sessions end after 30 idle minutes; a password change ends the user's other sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.session_clients import NEW_PASSWORD, logged_in_client, portal_status


@pytest.fixture
def user(db):
    return UserFactory(username="lihua")


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def test_session_idle_31_minutes_is_logged_out(user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in_client(user)
        assert portal_status(client) == 200

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get("/portal/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_idle_29_minutes_is_still_logged_in(user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in_client(user)

    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert portal_status(client) == 200


def test_session_used_every_20_minutes_stays_logged_in_for_two_hours(user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in_client(user)

    for minutes in range(20, 121, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert portal_status(client) == 200, f"logged out after {minutes} minutes of use"


def test_session_cookie_ends_with_the_browser(user):
    client = logged_in_client(user)

    cookie = client.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True


def test_password_change_portal_keeps_this_session_and_ends_the_others(user):
    # given: the same user logged in from two browsers
    here = logged_in_client(user, ip="10.1.1.1")
    elsewhere = logged_in_client(user, ip="10.2.2.2")
    assert portal_status(elsewhere) == 200

    # when
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    assert portal_status(here) == 200
    assert portal_status(elsewhere) == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_portal_weak_password_changes_nothing(user):
    here = logged_in_client(user, ip="10.1.1.1")
    elsewhere = logged_in_client(user, ip="10.2.2.2")

    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "dangjian", "new_password2": "dangjian"},
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    assert portal_status(elsewhere) == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_page_needs_login(db):
    response = Client().get("/accounts/password/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_admin_own_keeps_this_session_and_ends_the_others(boss):
    here = logged_in_client(boss, ip="10.1.1.1")
    elsewhere = logged_in_client(boss, ip="10.2.2.2")
    assert elsewhere.get("/admin/").status_code == 200

    response = here.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302


def test_password_change_admin_for_another_user_ends_all_their_sessions(boss, user):
    admin = logged_in_client(boss, ip="10.1.1.1")
    users_browser = logged_in_client(user, ip="10.2.2.2")

    response = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert portal_status(users_browser) == 302
    assert admin.get("/admin/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_admin_for_another_user_refuses_weak_password(boss, user):
    admin = logged_in_client(boss)

    response = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Password1234", "password2": "Password1234"},
    )

    assert response.status_code == 200
    assert "password_too_common" in {e.code for e in response.context["form"].errors.as_data()["password2"]}


# Absolute lifetime (SESSION_ABSOLUTE_AGE) on top of the idle timeout.
def test_session_in_constant_use_ends_at_the_absolute_lifetime(user, settings):
    settings.SESSION_ABSOLUTE_AGE = 2 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in_client(user)

    for minutes in range(20, 120, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert portal_status(client) == 200, f"logged out after {minutes} minutes"
    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        response = client.get("/portal/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_absolute_lifetime_restarts_with_a_new_login(user, settings):
    settings.SESSION_ABSOLUTE_AGE = 2 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in_client(user)
    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        assert portal_status(client) == 302
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=140), tick=False):
        assert portal_status(client) == 200


def test_session_absolute_lifetime_default_is_a_working_day():
    from django.conf import settings

    assert settings.SESSION_ABSOLUTE_AGE == 10 * 60 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60


# Cache-Control: nothing personal is kept by a cache.
def test_cache_control_authenticated_page_is_no_store(user):
    client = Client()
    client.force_login(user)

    response = client.get("/portal/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_cache_control_anonymous_public_page_may_be_cached(db):
    response = Client().get("/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_cache_control_api_answers_are_no_store_token_and_anonymous(user):
    token = (
        Client()
        .post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
        .json()["token"]
    )

    with_token = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    anonymous = Client().get("/api/v1/me/")

    assert with_token.status_code == 200
    assert "no-store" in with_token["Cache-Control"]
    assert anonymous.status_code == 403
    assert "no-store" in anonymous["Cache-Control"]
    assert "sessionid" not in with_token.cookies  # a token request starts no session
