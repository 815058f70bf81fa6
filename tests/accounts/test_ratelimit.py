"""Rate limits (accounts.ratelimit): login failures per address and per account, the token endpoint,
and the decorator other apps use. Counted in the cache: local memory here, Redis in the broker test."""

import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.ratelimit import RateLimited, rate_limit, rate_limit_hit
from tests.accounts.factories import PASSWORD, UserFactory

PORTAL_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"
SPRAYER = "10.9.9.9"
OFFICE = "10.1.1.1"
LIMITS = {"login_address": "6/15m", "login_account": "4/15m", "api_token": "5/m", "t": "2/m"}


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **LIMITS}


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """django-ratelimit counts in fixed windows (`time.time()` cut by the period): a test whose requests
    straddle a window's end would see the count restart. Its clock stands still here."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def _post(url, username, password, ip=SPRAYER):
    return Client(REMOTE_ADDR=ip).post(url, {"username": username, "password": password})


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_login_one_address_spraying_many_accounts_is_stopped(db):
    # given: six accounts, each tried once with a wrong password from one address (axes alone never locks)
    users = [UserFactory(username=f"victim{n}") for n in range(7)]
    for user in users[:6]:
        assert _post(PORTAL_LOGIN, user.username, "Spring-2026!").status_code == 200

    # when: the seventh account, even with its right password
    response = _post(PORTAL_LOGIN, users[6].username, PASSWORD)

    # then
    assert response.status_code == 429
    assert "accounts/rate_limited.html" in [t.name for t in response.templates]
    assert "Too many attempts from this address" in response.text
    assert "_auth_user_id" not in response.wsgi_request.session
    assert int(response["Retry-After"]) > 0
    # another address is not affected
    assert _logged_in(_post(PORTAL_LOGIN, users[6].username, PASSWORD, ip=OFFICE))


def test_login_spray_counts_admin_and_token_failures_together(db):
    users = [UserFactory(username=f"victim{n}") for n in range(7)]
    for user in users[:3]:
        _post(ADMIN_LOGIN, user.username, "Spring-2026!")
    for user in users[3:6]:
        assert _post(TOKEN, user.username, "Spring-2026!").status_code == 400

    assert _post(ADMIN_LOGIN, users[6].username, PASSWORD).status_code == 429
    response = _post(TOKEN, users[6].username, PASSWORD)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many attempts.")
    assert "token" not in response.json()


def test_login_one_account_guessed_from_many_addresses_is_stopped(db):
    UserFactory(username="alice")
    for n in range(4):
        _post(PORTAL_LOGIN, "alice", "Spring-2026!", ip=f"10.3.0.{n}")

    response = _post(PORTAL_LOGIN, "alice", PASSWORD, ip="10.4.0.1")

    assert response.status_code == 429
    # the case of the username buys no new tries
    assert _post(PORTAL_LOGIN, "ALICE", "x", ip="10.4.0.2").status_code == 429


def test_login_successes_from_one_office_address_are_never_limited(db):
    users = [UserFactory(username=f"clerk{n}") for n in range(10)]

    assert all(_logged_in(_post(PORTAL_LOGIN, u.username, PASSWORD, ip=OFFICE)) for u in users)


def test_login_limit_keys_on_the_forwarded_address_behind_the_proxy(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    users = [UserFactory(username=f"victim{n}") for n in range(7)]
    for n, user in enumerate(users[:6]):
        # the client forges a new left-most entry each time; nginx appends the real one
        Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, {SPRAYER}").post(
            PORTAL_LOGIN, {"username": user.username, "password": "x"}
        )

    via_proxy = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=f"8.8.8.8, {SPRAYER}")
    assert via_proxy.post(PORTAL_LOGIN, {"username": "victim6", "password": PASSWORD}).status_code == 429
    other = Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=OFFICE)
    assert other.post(PORTAL_LOGIN, {"username": "victim6", "password": PASSWORD}).status_code == 302


def test_api_token_requests_per_address_are_limited(db):
    UserFactory(username="alice")
    for _ in range(5):
        assert _post(TOKEN, "alice", PASSWORD).status_code == 200

    response = _post(TOKEN, "alice", PASSWORD)

    assert response.status_code == 429
    assert "Retry-After" in response


# The decorator and the function other apps use (sign-in, lookups).
@rate_limit("tests.view", rate="t", key="ip")
def _view(request):
    return HttpResponse("ok")


class _ApiView(APIView):
    permission_classes = []
    authentication_classes = []

    @rate_limit("tests.api", rate="t", key="ip")
    def post(self, request):
        return Response({"ok": True})


def test_rate_limit_decorator_refuses_the_request_past_the_rate():
    factory = RequestFactory()

    assert _view(factory.post("/", REMOTE_ADDR=OFFICE)).status_code == 200
    assert _view(factory.post("/", REMOTE_ADDR=OFFICE)).status_code == 200
    with pytest.raises(RateLimited):
        _view(factory.post("/", REMOTE_ADDR=OFFICE))
    assert _view(factory.post("/", REMOTE_ADDR=SPRAYER)).status_code == 200
    assert _view(factory.get("/", REMOTE_ADDR=OFFICE)).status_code == 200  # GET is not counted


def test_rate_limit_decorator_on_a_drf_method_answers_429_json():
    view = _ApiView.as_view()
    factory = RequestFactory()
    statuses = [view(factory.post("/", REMOTE_ADDR=OFFICE)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_rate_limit_hit_keys_on_a_callable(db):
    request = RequestFactory().post("/", REMOTE_ADDR=OFFICE)
    for _ in range(2):
        rate_limit_hit(request, group="tests.fn", rate="t", key=lambda group, request: "member-42")

    with pytest.raises(RateLimited) as caught:
        rate_limit_hit(request, group="tests.fn", rate="t", key=lambda group, request: "member-42")
    assert caught.value.status_code == 429
    rate_limit_hit(request, group="tests.fn", rate="t", key=lambda group, request: "member-43")


@pytest.mark.usefixtures("project_catalogue")
def test_rate_limited_page_is_chinese_with_the_catalogue(db):
    users = [UserFactory(username=f"victim{n}") for n in range(7)]
    for user in users[:6]:
        _post(PORTAL_LOGIN, user.username, "x")

    response = _post(PORTAL_LOGIN, users[6].username, PASSWORD)

    assert response.status_code == 429
    assert '<html lang="zh-hans">' in response.text


@pytest.mark.broker
def test_login_spray_is_stopped_with_the_redis_cache(db, settings):
    redis_cache = {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": settings.TEST_REDIS_URL,
        "KEY_PREFIX": "pb-test-ratelimit",
    }
    with override_settings(CACHES={"default": redis_cache}):
        from django.core.cache import cache

        cache.clear()
        users = [UserFactory(username=f"victim{n}") for n in range(7)]
        for user in users[:6]:
            _post(PORTAL_LOGIN, user.username, "x")
        try:
            assert _post(PORTAL_LOGIN, users[6].username, PASSWORD).status_code == 429
        finally:
            cache.clear()
