"""config/page_cache.py: anonymous public pages served from the cache, per language, dropped on any
write; never a logged-in user's page, never a page with a visitor's CSRF token or message."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config import page_cache
from config.page_cache import cache_public_page, generation
from orgs.models import Organization
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_anonymous_directory_second_request_from_cache(client, regions):
    OrganizationFactory(name="甲协会")
    _, queries = _get(client, "/orgs/")
    second, cached = _get(Client(), "/orgs/")  # another visitor
    assert queries > 0 and cached == 0
    assert "甲协会" in second.content.decode()
    assert "no-cache" not in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]


def test_cached_page_dropped_when_a_service_writes(client, regions):
    org = OrganizationFactory(name="甲协会")
    _get(client, "/orgs/")
    before = generation()
    Organization.objects.filter(pk=org.pk).update(name="乙协会")  # a queryset update: no model signal
    assert generation() > before
    response, queries = _get(client, "/orgs/")
    assert queries > 0
    assert "乙协会" in response.content.decode() and "甲协会" not in response.content.decode()


def test_cache_is_per_language(client, regions):
    zh, _ = _get(client, "/orgs/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en, queries = _get(Client(), "/orgs/", HTTP_ACCEPT_LANGUAGE="en")
    assert queries > 0  # not the Chinese page
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"


def test_logged_in_pages_never_cached_nor_served_from_cache(client, regions, secretary):
    OrganizationFactory(name="甲协会")
    _get(Client(), "/orgs/")  # cached for anonymous visitors
    user = Client()
    user.force_login(secretary)
    response, queries = _get(user, "/orgs/")
    assert queries > 0  # rendered for this user, not the anonymous copy
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    _, again = _get(user, "/orgs/")
    assert again > 0


def _counting_view(body):
    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse(body(request))

    return cache_public_page(view), calls


def _anonymous(rf, path="/x/"):
    request = rf.get(path)
    request.user = AnonymousUser()
    request.session = {}
    return request


def test_page_that_used_the_csrf_token_not_cached(rf, db):
    view, calls = _counting_view(lambda request: get_token(request))
    view(_anonymous(rf))
    response = view(_anonymous(rf))
    assert len(calls) == 2
    assert "private" in response["Cache-Control"]


def test_page_showing_a_flash_message_not_cached(rf, db):
    from django.contrib.messages.storage.cookie import CookieStorage

    def body(request):
        request._messages = CookieStorage(request)
        request._messages.add(messages.INFO, "已提交")
        return "".join(str(m) for m in request._messages)

    view, calls = _counting_view(body)
    view(_anonymous(rf))
    view(_anonymous(rf))
    assert len(calls) == 2


def test_plain_anonymous_page_rendered_once(rf, db):
    view, calls = _counting_view(lambda request: "公开")
    view(_anonymous(rf))
    assert view(_anonymous(rf)).content.decode() == "公开"
    assert len(calls) == 1


def test_language_switch_works_without_a_token(regions):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    assert client.get("/orgs/")["Content-Language"] == "en"
    html = client.get("/orgs/").content.decode()
    assert "csrfmiddlewaretoken" not in html  # the public page holds nothing per visitor


def test_language_switch_refuses_an_offsite_next(regions):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_invalidation_installed_once_per_connection_across_reconnections(db):
    # A persistent connection that is closed and opened again fires connection_created each time;
    # the write hook must not pile up (it did: a RecursionError after ~1,000 requests in gunicorn).
    def hooks():
        return sum(
            getattr(w, "__qualname__", "").startswith("_invalidating") for w in connection.execute_wrappers
        )

    before = hooks()
    for _ in range(5):
        page_cache._install(sender=None, connection=connection)
    assert hooks() == before == 1
