"""config/private_page_cache.py: a logged-in page replayed to the same session while nothing changed,
and never when it must be rendered (another user or session, any write, a counted lookup, a flash
message, live progress, a token, the cache off)."""

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.crypto import get_random_string

from accounts.services import notification_send
from config import page_cache
from members.models import RevealLog
from orgs.models import Organization
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
NONCE = re.compile(rb'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def private_pages(settings):
    settings.PRIVATE_PAGE_CACHE_SECONDS = 120  # on (the test settings turn it off for the rest of the suite)


def _as(user) -> Client:
    """A logged-in browser: the session, and the CSRF cookie the login form left."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    return client


def _get(client, path, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    return response, len(queries)


def _trivial_queries(client) -> int:
    return _get(client, "/robots.txt")[1]


def test_portal_page_replayed_to_its_session_at_the_trivial_views_cost(committee_secretary):
    client = _as(committee_secretary)
    first, rendered = _get(client, "/portal/events/")
    again, replayed = _get(client, "/portal/events/")
    assert first.status_code == again.status_code == 200
    assert replayed == _trivial_queries(client) < rendered  # the view did not run
    assert NONCE.sub(b"", again.content) == NONCE.sub(b"", first.content)
    assert again["Cache-Control"] == first["Cache-Control"]  # no-store, as for any logged-in answer
    assert again["Content-Type"] == first["Content-Type"]


def test_each_answer_gets_its_own_csp_nonce_matching_its_header(district_staff):
    client = _as(district_staff)
    changelist = reverse("admin:orgs_organization_changelist")
    answers = [client.get(changelist) for _ in range(3)]
    assert _get(client, changelist)[1] == _trivial_queries(client)  # replayed
    nonces = []
    for response in answers:
        in_page = set(NONCE.findall(response.content))
        assert len(in_page) == 1, "the admin page carries its nonce"
        nonce = in_page.pop().decode()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_another_user_or_session_never_gets_the_copy(pos, committee_secretary, secretary_a):
    first = _as(committee_secretary)
    first.get("/portal/members/")
    other_session = _as(committee_secretary)
    _response, queries = _get(other_session, "/portal/members/")
    assert queries > _trivial_queries(other_session)  # rendered for the new session
    other_user = _as(secretary_a)
    MemberFactory(party_organization=pos.committee, name="委员会成员甲")
    # (the write above bumped the generation; warm the committee secretary's copy again)
    assert "委员会成员甲" in first.get("/portal/members/").content.decode()
    response, queries = _get(other_user, "/portal/members/")
    assert queries > _trivial_queries(other_user)
    assert "委员会成员甲" not in response.content.decode()  # branch A's secretary sees their branch only


def test_any_write_makes_the_next_request_render(regions, district_staff):
    organization = OrganizationFactory(region=regions.community_a1, name="改名前的协会")
    client = _as(district_staff)
    changelist = reverse("admin:orgs_organization_changelist")
    assert "改名前的协会" in client.get(changelist).content.decode()
    _response, replayed = _get(client, changelist)
    assert replayed == _trivial_queries(client)
    Organization.objects.filter(pk=organization.pk).update(name="改名后的协会")  # no service, no signal
    response, queries = _get(client, changelist)
    assert queries > replayed
    assert "改名后的协会" in response.content.decode() and "改名前的协会" not in response.content.decode()


def test_a_notification_written_elsewhere_shows_at_once(committee_secretary):
    client = _as(committee_secretary)
    assert "请核对本季度党费" not in client.get("/portal/").content.decode()
    before = page_cache.generations()
    notification_send(recipient=committee_secretary, title="请核对本季度党费")
    assert page_cache.generations()[1] > before[1]  # a table no public page reads: the private one
    assert "请核对本季度党费" in client.get("/portal/").content.decode()


def test_counted_and_logged_lookups_run_every_time(pos, street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _as(street_staff)  # a session, as officers use the browsable API
    for _ in range(3):
        response = client.get("/api/v1/members/", {"id_number": member.id_number})
        assert [row["id"] for row in response.json()["results"]] == [member.pk]
    assert RevealLog.objects.filter(member=member, user=street_staff).count() == 3


def test_rate_limit_still_counts_each_request(pos, street_staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "member_lookup": "2/h"}
    member = MemberFactory(party_organization=pos.branch_a)
    client = _as(street_staff)
    codes = [client.get("/api/v1/members/", {"id_number": member.id_number}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_waiting_flash_message_is_shown_not_skipped(committee_secretary, rf):
    client = _as(committee_secretary)
    client.get("/portal/events/")
    client.get("/portal/events/")  # replayed from now on
    # a message left by an earlier request (as a form's success redirect leaves it)
    session = client.session
    request = rf.get("/")
    request.session = session
    request.COOKIES = dict(client.cookies.items())
    storage = default_storage(request)  # the platform's message storage, whichever it is
    storage.add(messages.SUCCESS, "活动已保存")
    response = HttpResponse()
    storage.update(response)
    session.save()
    client.cookies.update(response.cookies)
    assert "活动已保存" in client.get("/portal/events/").content.decode()
    assert "活动已保存" not in client.get("/portal/events/").content.decode()  # shown once


def test_a_token_request_is_never_served_from_the_cache(district_staff):
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=district_staff)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/api/v1/organizations/")
    _response, queries = _get(client, "/api/v1/organizations/")
    assert queries > 2  # the view ran again (token lookup, the page's queries)


def test_logout_ends_the_copy(committee_secretary):
    client = _as(committee_secretary)
    client.get("/portal/events/")
    client.get("/portal/events/")
    client.logout()
    response = client.get("/portal/events/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_change_pages_and_the_cache_off_render_every_time(regions, district_staff, settings):
    organization = OrganizationFactory(region=regions.community_a1)
    client = _as(district_staff)
    change = reverse("admin:orgs_organization_change", args=[organization.pk])
    client.get(change)
    assert _get(client, change)[1] > _trivial_queries(client)
    settings.PRIVATE_PAGE_CACHE_SECONDS = 0
    changelist = reverse("admin:orgs_organization_changelist")
    client.get(changelist)
    assert _get(client, changelist)[1] > _trivial_queries(client)


def test_each_language_its_own_copy(committee_secretary):
    client = _as(committee_secretary)
    chinese = client.get("/portal/events/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies.load({"django_language": "en"})
    english = client.get("/portal/events/")
    assert chinese["Content-Language"] == "zh-hans" and english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()


def test_a_write_that_changed_no_row_keeps_the_copies(regions):
    # The periodic jobs (every 5 minutes: stale imports failed) run an UPDATE … WHERE that usually
    # matches nothing: that must not empty every cache. One that changes a row must.
    organization = OrganizationFactory(region=regions.community_a1)
    before = page_cache.generations()
    assert Organization.objects.filter(pk=-1).update(name="无此组织") == 0
    assert page_cache.generations() == before
    Organization.objects.filter(pk=organization.pk).update(name="有此组织")
    assert page_cache.generations()[0] > before[0]
