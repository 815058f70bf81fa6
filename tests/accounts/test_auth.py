"""Portal and admin login under django-axes: 5 failures lock (username + address) for 30 minutes."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory

PORTAL_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
OFFICE_IP = "10.1.1.1"
OTHER_IP = "10.2.2.2"


def _login(url: str, username: str, password: str, ip: str = OFFICE_IP):
    return Client(REMOTE_ADDR=ip).post(url, {"username": username, "password": password})


def _fail(url: str, username: str, times: int = 5, ip: str = OFFICE_IP):
    for _ in range(times):
        response = _login(url, username, "wrong-password", ip)
        assert response.status_code in (200, 400, 429)  # form re-shown, API 400, locked
    return response


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def test_portal_login_correct_password_logs_in_and_redirects_to_portal(alice):
    response = _login(PORTAL_LOGIN, "alice", PASSWORD)

    assert _logged_in(response)
    assert response["Location"] == "/portal/"


def test_portal_login_page_is_chinese_by_default(db):
    response = Client().get(PORTAL_LOGIN)

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.text
    assert "用户名" in response.text  # Django's own label, from its zh_Hans catalogue
    assert "密码" in response.text


def test_portal_login_wrong_password_says_why_and_how_many_tries(alice):
    response = _login(PORTAL_LOGIN, "alice", "wrong-password")

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "invalid_login"
    assert error.params == {"limit": 5, "minutes": 30}


def test_portal_login_four_failures_then_correct_password_logs_in(alice):
    _fail(PORTAL_LOGIN, "alice", times=4)

    assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD))


def test_portal_login_five_failures_locks_out_even_the_right_password(alice):
    response = _fail(PORTAL_LOGIN, "alice", times=5)

    assert response.status_code == 429
    locked = _login(PORTAL_LOGIN, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert '<html lang="zh-hans">' in locked.text
    assert locked.context["cooloff_minutes"] == 30
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_admin_login_five_failures_locks_out_with_the_same_page(admin_user):
    response = _fail(ADMIN_LOGIN, "boss", times=5)

    assert response.status_code == 429
    locked = _login(ADMIN_LOGIN, "boss", PASSWORD)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]


def test_admin_login_correct_password_after_four_failures_opens_admin(admin_user):
    _fail(ADMIN_LOGIN, "boss", times=4)

    response = _login(ADMIN_LOGIN, "boss", PASSWORD)

    assert _logged_in(response)


def test_lockout_counts_portal_and_admin_failures_together(admin_user):
    _fail(PORTAL_LOGIN, "boss", times=3)
    _fail(ADMIN_LOGIN, "boss", times=2)

    assert _login(ADMIN_LOGIN, "boss", PASSWORD).status_code == 429


def test_lockout_other_username_from_same_address_is_not_locked(alice):
    UserFactory(username="bob")
    _fail(PORTAL_LOGIN, "alice", times=5)

    assert _logged_in(_login(PORTAL_LOGIN, "bob", PASSWORD, ip=OFFICE_IP))


def test_lockout_same_username_from_other_address_is_not_locked(alice):
    _fail(PORTAL_LOGIN, "alice", times=5, ip=OFFICE_IP)

    assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD, ip=OTHER_IP))
    # ...and the lock on the first address stays.
    assert _login(PORTAL_LOGIN, "alice", PASSWORD, ip=OFFICE_IP).status_code == 429


def test_lockout_after_30_minutes_login_works_again(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(PORTAL_LOGIN, "alice", times=5)

    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert _login(PORTAL_LOGIN, "alice", PASSWORD).status_code == 429

    # A try during the lock restarts the 30 minutes (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD))


def test_lockout_untouched_for_31_minutes_lifts(alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(PORTAL_LOGIN, "alice", times=5)

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD))


def test_login_success_resets_the_failure_count(alice):
    _fail(PORTAL_LOGIN, "alice", times=4)
    assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD))

    _fail(PORTAL_LOGIN, "alice", times=4)

    assert _logged_in(_login(PORTAL_LOGIN, "alice", PASSWORD))


def test_logout_is_post_only_and_ends_the_session(alice):
    client = Client()
    client.force_login(alice)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/portal/").status_code == 302  # back to the login page


# The DRF token endpoint goes through the same axes backend: a wrong password is a
# plain 400, failures count with the portal's, and during a lockout even the right
# password gets the same 400 (DRF answers for the view, not the axes middleware).
TOKEN = "/api/v1/auth/token/"


def test_api_token_wrong_password_is_400_not_500(alice):
    response = Client(REMOTE_ADDR=OFFICE_IP).post(TOKEN, {"username": "alice", "password": "nope"})

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_api_token_correct_password_returns_token(alice):
    response = Client(REMOTE_ADDR=OFFICE_IP).post(TOKEN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"]


def test_api_token_locked_out_refuses_right_password_with_400(alice):
    _fail(TOKEN, "alice", times=5)

    response = Client(REMOTE_ADDR=OFFICE_IP).post(TOKEN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 400
    assert "token" not in response.json()


def test_api_token_failures_lock_the_portal_login_too(alice):
    _fail(TOKEN, "alice", times=3)
    _fail(PORTAL_LOGIN, "alice", times=2)

    assert _login(PORTAL_LOGIN, "alice", PASSWORD).status_code == 429


# Behind nginx every request comes from the proxy's address: the client is read from
# X-Forwarded-For (TRUSTED_PROXY_COUNT entries from the right), never from what it sent itself.
PROXY_IP = "172.18.0.5"


def _via_proxy(url: str, username: str, password: str, forwarded_for: str):
    client = Client(REMOTE_ADDR=PROXY_IP, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(url, {"username": username, "password": password})


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_lockout_behind_proxy_keys_on_the_forwarded_client_address(alice, behind_nginx):
    for _ in range(5):
        _via_proxy(PORTAL_LOGIN, "alice", "wrong-password", forwarded_for=OFFICE_IP)

    assert _via_proxy(PORTAL_LOGIN, "alice", PASSWORD, forwarded_for=OFFICE_IP).status_code == 429
    assert _logged_in(_via_proxy(PORTAL_LOGIN, "alice", PASSWORD, forwarded_for=OTHER_IP))


def test_lockout_behind_proxy_forged_forwarded_entries_do_not_dodge_the_lock(alice, behind_nginx):
    for n in range(5):
        # The client prepends a different fake address each time; nginx appends the real one.
        _via_proxy(PORTAL_LOGIN, "alice", "wrong-password", forwarded_for=f"1.2.3.{n}, {OFFICE_IP}")

    response = _via_proxy(PORTAL_LOGIN, "alice", PASSWORD, forwarded_for=f"9.9.9.9, {OFFICE_IP}")

    assert response.status_code == 429


def test_lockout_without_proxy_setting_ignores_forwarded_header(alice):
    for n in range(5):
        _via_proxy(PORTAL_LOGIN, "alice", "wrong-password", forwarded_for=f"1.2.3.{n}")

    # All from the same REMOTE_ADDR: the header is not trusted, the lock holds.
    assert _via_proxy(PORTAL_LOGIN, "alice", PASSWORD, forwarded_for="5.6.7.8").status_code == 429


CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


@pytest.mark.usefixtures("project_catalogue")
def test_lockout_page_and_login_error_are_chinese(alice):
    error = _login(PORTAL_LOGIN, "alice", "wrong-password")
    _fail(PORTAL_LOGIN, "alice", times=4)
    locked = _login(PORTAL_LOGIN, "alice", PASSWORD)

    assert "Wrong username or password" not in error.text
    assert "Account locked" not in locked.text
    assert "30" in locked.text


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"username": "alice", "password": "wrong-password"}, ["Wrong username or password"]),
        ({"username": "", "password": ""}, ["This field is required."] * 2),
    ],
)
def test_portal_login_page_shows_each_error_once(alice, data, errors):
    # issue 14: "the sign-in page shows each error twice"
    response = Client(REMOTE_ADDR=OFFICE_IP, HTTP_ACCEPT_LANGUAGE="en").post(PORTAL_LOGIN, data)

    html = response.text
    for text in set(errors):
        assert html.count(text) == errors.count(text), text
    assert html.count('class="errorlist') == len(errors)
    assert '<ul class="messages"' not in html
