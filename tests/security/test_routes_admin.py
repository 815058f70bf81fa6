"""Every admin route of every registered model, requested as a user who may use it and as one who
may not (issue 13, gate (a): "every route is requested by some test").

The routes are found, not listed: the admin site's registry. For each model a row is built in street A
(tests/security/conftest.py) and
- `<id>/` (Django's old change address) redirects to `<id>/change/`, which the superuser opens;
- `<id>/history/` shows the row's history to the superuser;
- `<id>/delete/` asks for confirmation and deletes only where DELETABLE says rows may be deleted; every
  other model refuses it (403) and keeps the row: history is not deleted (login records and audit
  entries included, issue 13 point 8);
- `add/` shows a form, or refuses (403) for rows only a service or a job writes (ADD_REFUSED);
and anonymous visitors are sent to the admin login, a secretary (not staff) too, staff of street B
get nothing of street A's rows.
"""

import functools

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db

MODELS = sorted(m._meta.label_lower for m in admin.site._registry)

# Rows the superuser may delete in the admin: groups, tokens and second-factor devices (revoking a
# token or a lost phone's device is a deletion), users, notifications, articles, and a status change
# entered by mistake. Every other model keeps its rows (ended, revoked, corrected through services).
DELETABLE = {
    "accounts.notification": "superuser",
    "accounts.user": "superuser",
    "auth.group": "superuser",
    "knox.authtoken": "superuser",
    "news.article": "district_staff",  # the district's news desk
    "orgs.organizationstatuschange": "district_staff",  # through organization_status_remove
    "members.stagechange": "district_staff",  # a history row entered by mistake: stage_change_remove
    "branches.committeepost": "district_staff",  # a post entered by mistake: committee_post_remove
    "branches.coveragelink": "district_staff",  # a link entered by mistake: coverage_link_remove
    "branches.instructorassignment": "district_staff",  # instructor_assignment_remove
    "otp_static.staticdevice": "superuser",
    "otp_totp.totpdevice": "superuser",
}
# Rows of the whole district: "outside the scope" is another district's staff, not street B's.
DISTRICT_WIDE = {"alliances.ventureround"}
# Rows with no scope at all: any staff member may open them, so no staff member is "outside".
UNSCOPED = {"news.article": "the platform's news desk: articles have no region, any staff member edits them"}
# Rows nobody adds in the admin: written by services, jobs or the login machinery.
ADD_REFUSED = {
    "accounts.notification",  # sent by accounts.services.notification_send (jobs and services)
    "alliances.ventureapplication",  # submitted by the organization in the portal
    "auditlog.logentry",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "dues.duesbase",
    "dues.duesentry",
    "dues.duesroll",
    "events.appraisal",
    "events.booking",
    "events.event",
    "events.partyclass",
    "events.pointentry",
    "events.volunteer",
    "members.reveallog",
    "members.stagechange",  # taken through the stage and status services
    "members.transfer",
    "members.transferletter",
    "reminders.reminder",
}
# Street B's staff get a 404 (outside the scope) or a 403 (a model staff never open).
REFUSED = {403, 404}


def _url(label: str, view: str, pk=None) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=[pk] if pk is not None else [])


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown(row) -> str:
    return escape(str(row))


@pytest.fixture
def outsider(other_street_staff):
    """The staff member outside a row's scope: street B's for street A's rows, another district's for
    rows of the whole district."""
    from accounts.models import Role
    from tests.accounts.factories import UserFactory
    from tests.orgs.factories import build_region_tree

    @functools.cache
    def for_label(label: str):
        if label in UNSCOPED:
            return None
        if label not in DISTRICT_WIDE:
            return other_street_staff
        other = build_region_tree("330599").district
        return UserFactory(role=Role.STAFF, is_staff=True, scope_region=other, username="other_district")

    return for_label


@pytest.mark.parametrize("label", MODELS)
def test_admin_object_address_redirects_to_change_page_which_superuser_sees(label, admin_rows, superuser):
    row = admin_rows(label)
    app, model = label.split(".")
    old_address = f"/admin/{app}/{model}/{row.pk}/"
    client = _logged_in(superuser)

    response = client.get(old_address)
    assert response.status_code == 302
    assert response["Location"] == _url(label, "change", row.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert _shown(row)[:30] in page.content.decode()


@pytest.mark.parametrize("label", MODELS)
def test_admin_object_address_refuses_anonymous_non_staff_and_out_of_scope_staff(
    label, admin_rows, secretary, outsider
):
    row = admin_rows(label)
    app, model = label.split(".")
    old_address = f"/admin/{app}/{model}/{row.pk}/"

    anonymous = Client().get(old_address)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/?next=")
    not_staff = _logged_in(secretary).get(old_address)
    assert not_staff.status_code == 302 and not_staff["Location"].startswith("/admin/login/?next=")
    if outsider(label) is None:
        return
    final = _logged_in(outsider(label)).get(old_address, follow=True)
    assert final.status_code in REFUSED, f"out-of-scope staff opened {label} {row.pk}: {final.status_code}"
    assert _shown(row)[:30] not in final.content.decode()


@pytest.mark.parametrize("label", MODELS)
def test_admin_history_page_shows_row_to_superuser_refuses_others(label, admin_rows, superuser, outsider):
    row = admin_rows(label)
    url = _url(label, "history", row.pk)

    page = _logged_in(superuser).get(url)
    assert page.status_code == 200
    assert _shown(row)[:30] in page.content.decode()
    assert Client().get(url)["Location"].startswith("/admin/login/?next=")
    if outsider(label) is None:
        return
    refused = _logged_in(outsider(label)).get(url)
    assert refused.status_code in REFUSED | {302}, (
        f"out-of-scope staff: {label} history {refused.status_code}"
    )
    if refused.status_code == 302:  # Django's "no such row" answer: back to the admin home
        assert refused["Location"] == reverse("admin:index")


@pytest.mark.parametrize("label", sorted(set(MODELS) - set(DELETABLE)))
def test_admin_delete_page_refused_even_to_superuser_row_kept(label, admin_rows, superuser):
    row = admin_rows(label)
    url = _url(label, "delete", row.pk)
    client = _logged_in(superuser)

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
    assert Client().post(url, {"post": "yes"})["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("label", sorted(DELETABLE))
def test_admin_delete_page_confirms_and_deletes_for_its_role_refused_to_others(
    label, admin_rows, role_users, outsider
):
    row = admin_rows(label)
    url = _url(label, "delete", row.pk)
    deleter = role_users[DELETABLE[label]]
    refused_to = [u for u in [outsider(label)] if u] + (
        [role_users["district_staff"]] if DELETABLE[label] == "superuser" else []
    )

    # staff who may not delete it get a 403, or Django's "no such row" for rows they cannot see
    for user in refused_to:
        refused = _logged_in(user).post(url, {"post": "yes"})
        assert refused.status_code in (403, 404) or refused["Location"] == reverse("admin:index")
    assert type(row).objects.filter(pk=row.pk).exists()
    assert Client().post(url, {"post": "yes"})["Location"].startswith("/admin/login/?next=")
    # the role that may delete it sees the confirmation naming the row, then deletes it
    client = _logged_in(deleter)
    confirm = client.get(url)
    assert confirm.status_code == 200 and _shown(row)[:30] in confirm.content.decode()
    done = client.post(url, {"post": "yes"})
    assert done.status_code == 302 and done["Location"] == _url(label, "changelist")
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("label", MODELS)
def test_admin_add_page_form_or_refused_as_declared(label, superuser, regions):
    url = _url(label, "add")
    page = _logged_in(superuser).get(url)

    if label in ADD_REFUSED:
        assert page.status_code == 403
    else:
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert Client().get(url)["Location"].startswith("/admin/login/?next=")
