"""Routes outside the admin's model pages, each requested by a user who may use it and one who may not
(issue 13, gate (a)): the API root and three API routes, every API action's `.json` form, a flowing
member's end date in the portal, the password-change "done" pages, the admin's logout, catch-all
and the TOTP device's key pages (refused to everyone), and the health check.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Role
from members.models import AffiliationRecord
from tests.accounts.factories import PASSWORD, UserFactory
from tests.security.url_walk import walk

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    return client


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the API ---------------------------------------------------------------------------------------


def test_api_root_lists_the_endpoints_to_a_token_refuses_anonymous(secretary):
    answer = _api(secretary).get(API)
    assert answer.status_code == 200
    assert answer.json()["members"].endswith("/api/v1/members/")
    assert answer.json()["events"].endswith("/api/v1/events/")
    assert _api().get(API).status_code in (401, 403)
    assert _api().get(f"{API}.json").status_code in (401, 403)


def test_api_committee_post_end_dates_the_post_in_scope_only(admin_rows, district_staff, other_street_staff):
    post = admin_rows("branches.committeepost")  # secretary of street A's branch since 2024-01-01
    url = f"{API}committee-posts/{post.pk}/end/"

    assert _api().post(url, {"until": "2025-06-01"}).status_code in (401, 403)
    assert _api(other_street_staff).post(url, {"until": "2025-06-01"}).status_code == 404
    before = _api(district_staff).post(url, {"until": "2023-06-01"})  # before the post began
    assert before.status_code == 400 and "until" in str(before.json())
    post.refresh_from_db()
    assert post.until is None
    # the router's .json form of the action (a 500 before: the action took no `format`)
    answer = _api(district_staff).post(f"{API}committee-posts/{post.pk}/end.json", {"until": "2025-06-01"})
    assert answer.status_code == 200 and answer.json()["until"] == "2025-06-01"
    post.refresh_from_db()
    assert post.until == dt.date(2025, 6, 1)


def test_api_dues_entry_detail_shows_payment_to_own_branch_only(admin_rows, secretary_b_user):
    entry = admin_rows("dues.duesentry")  # 15.00 paid on 2025-01-10 in street A's branch
    own_secretary = admin_rows("accounts.user")
    url = f"{API}dues-entries/{entry.pk}/"

    answer = _api(own_secretary).get(url)
    assert answer.status_code == 200
    assert (answer.json()["amount"], answer.json()["paid_on"]) == ("15.00", "2025-01-10")
    assert _api(secretary_b_user(admin_rows)).get(url).status_code == 404
    assert _api().get(url).status_code in (401, 403)


def test_api_grid_pairing_detail_in_scope_only(admin_rows, street_staff, other_street_staff):
    grid = admin_rows("alliances.gridpairing")
    url = f"{API}grid-pairings/{grid.pk}/"

    answer = _api(street_staff).get(url)
    assert answer.status_code == 200 and answer.json()["grid_name"] == "路由测试网格"
    assert _api(other_street_staff).get(url).status_code == 404
    assert _api().get(url).status_code in (401, 403)


def _api_action_routes() -> list:
    """The API's detail actions in their `.json` form (`…/<pk>/<action>.json`)."""
    return [
        r
        for r in walk()
        if r.route.startswith("api/v1/")
        and "(?P<format>" in r.route
        and "(?P<pk>" in r.route
        and not r.name.endswith("-detail")
        and r.path is not None
    ]


def test_api_every_detail_action_json_form_answers_without_server_error(superuser):
    # given every `<pk>/<action>.json` route, asked about a row that does not exist
    routes = _api_action_routes()
    assert len(routes) >= 10
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    answers = {r.name: (client.get(r.path).status_code, client.post(r.path).status_code) for r in routes}
    # then each answers 404 (no such row) or 405 (method not served), never a 500
    errors = {name: pair for name, pair in answers.items() if not set(pair) <= {404, 405}}
    assert errors == {}


# --- the portal ------------------------------------------------------------------------------------


@pytest.fixture
def secretary_b_user():
    def make(rows):
        return UserFactory(role=Role.SECRETARY, username="routes_sec_b", party_organization=rows.pos.branch_b)

    return make


def test_affiliation_end_post_ends_flowing_period_for_own_secretary_only(
    admin_rows, secretary_b_user, district_staff
):
    record = admin_rows("members.affiliationrecord")  # a flowing member of street A's branch, 100 days
    own_secretary = admin_rows("accounts.user")
    url = reverse("members_portal:affiliation_end", args=[record.pk])
    today = timezone.localdate().isoformat()

    anonymous = Client().post(url, {"ends_on": today})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    assert _client(secretary_b_user(admin_rows)).post(url, {"ends_on": today}).status_code == 404
    assert _client(district_staff).post(url, {"ends_on": today}).status_code == 404  # the secretary's page
    assert _client(own_secretary).get(url).status_code == 405
    record.refresh_from_db()
    assert record.ends_on is None
    # a date that is not one: a message naming the field, nothing saved
    bad = _client(own_secretary).post(url, {"ends_on": "明天"}, follow=True)
    assert bad.redirect_chain == [(reverse("members_portal:affiliation", args=[record.pk]), 302)]
    assert any(m.startswith("until:") for m in _messages(bad))
    response = _client(own_secretary).post(url, {"ends_on": today}, follow=True)
    assert "Saved." in _messages(response)
    assert AffiliationRecord.objects.get(pk=record.pk).ends_on == timezone.localdate()


# --- accounts and the admin's own pages -------------------------------------------------------------


def test_password_change_done_after_portal_password_change(secretary):
    client = _client(secretary)
    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Blue-Lantern-7319",
            "new_password2": "Blue-Lantern-7319",
        },
        follow=True,
    )
    assert changed.redirect_chain == [(reverse("accounts:password_change_done"), 302)]
    assert changed.status_code == 200
    secretary.refresh_from_db()
    assert secretary.check_password("Blue-Lantern-7319")
    done = Client().get(reverse("accounts:password_change_done"))
    assert done.status_code == 302 and done["Location"].startswith("/accounts/login/?next=")


def test_admin_password_change_done_after_admin_password_change(district_staff):
    client = _client(district_staff)
    changed = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Blue-Lantern-7319",
            "new_password2": "Blue-Lantern-7319",
        },
        follow=True,
    )
    assert changed.redirect_chain == [(reverse("admin:password_change_done"), 302)]
    district_staff.refresh_from_db()
    assert district_staff.check_password("Blue-Lantern-7319")
    done = Client().get(reverse("admin:password_change_done"))
    assert done.status_code == 302 and done["Location"].startswith("/admin/login/?next=")


def test_admin_logout_post_ends_session_get_refused(district_staff):
    client = _client(district_staff)
    assert client.get(reverse("admin:logout")).status_code == 405
    assert client.get(reverse("admin:index")).status_code == 200  # still logged in
    out = client.post(reverse("admin:logout"))
    assert out.status_code in (200, 302)
    assert client.get(reverse("admin:index"))["Location"].startswith("/admin/login/?next=")


def test_admin_catch_all_adds_slash_for_staff_404_for_unknown_login_for_anonymous(district_staff):
    client = _client(district_staff)
    slashless = client.get("/admin/orgs/organization")
    assert slashless.status_code == 301 and slashless["Location"] == "/admin/orgs/organization/"
    assert client.get("/admin/no-such-page/").status_code == 404
    anonymous = Client().get("/admin/no-such-page/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/?next=")


def test_admin_totp_device_key_pages_refused_even_to_superuser(admin_rows, superuser):
    device = admin_rows("otp_totp.totpdevice")
    client = _client(superuser)
    for view in ("config", "qrcode"):
        url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
        answer = client.get(url)
        assert answer.status_code == 403, view  # OTP_ADMIN_HIDE_SENSITIVE_DATA: the key is never shown
        assert device.key not in answer.content.decode()
        assert Client().get(url)["Location"].startswith("/admin/login/?next=")


def test_healthz_reports_database_and_broker_to_anyone():
    answer = Client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"database": "ok", "broker": "eager", "status": "ok"}
    assert Client().post("/healthz").status_code == 405
