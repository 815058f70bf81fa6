"""Sessions live in the cache (Redis in production): a logged-in request reads and writes no session
row, and the security rules — 30 idle minutes, logout, a password change — hold on Redis itself.
(tests/accounts/test_sessions.py runs the same rules on the test cache, with the clock moved.)"""

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.session_clients import NEW_PASSWORD, logged_in_client, portal_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(username="lihua")


@pytest.fixture
def redis_sessions(settings):
    """The cache, hence the sessions, on the test Redis database (emptied before and after)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": settings.TEST_REDIS_URL,
            "KEY_PREFIX": "pb-test-sessions",
        }
    }
    server = redis.Redis.from_url(settings.TEST_REDIS_URL)
    server.flushdb()
    from django.core.cache import caches

    caches["default"].close()
    yield server
    server.flushdb()


def _session_keys(server) -> list[bytes]:
    return [key for key in server.keys("*") if b"django.contrib.sessions.cache" in key]


def test_session_engine_is_the_cache():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"


def test_logged_in_request_touches_no_session_row(user):
    client = logged_in_client(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/robots.txt").status_code == 200
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]


def test_redis_session_expires_after_30_idle_minutes_and_is_renewed_by_use(user, redis_sessions):
    client = logged_in_client(user)
    (key,) = _session_keys(redis_sessions)
    assert 29 * 60 < redis_sessions.ttl(key) <= 30 * 60  # Redis drops it after 30 idle minutes
    redis_sessions.expire(key, 60)  # as if 29 minutes had passed
    assert portal_status(client) == 200
    assert redis_sessions.ttl(key) > 29 * 60  # the request renewed it
    redis_sessions.delete(key)  # what Redis does at the 30th minute
    assert portal_status(client) == 302


def test_redis_session_logout_deletes_it_and_the_old_cookie_is_refused(user, redis_sessions):
    client = logged_in_client(user)
    stolen = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    assert _session_keys(redis_sessions) == []
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert portal_status(replay) == 302


def test_redis_session_password_change_ends_the_other_sessions(user, redis_sessions):
    here = logged_in_client(user, ip="10.1.1.1")
    elsewhere = logged_in_client(user, ip="10.2.2.2")
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert portal_status(here) == 200
    assert portal_status(elsewhere) == 302
