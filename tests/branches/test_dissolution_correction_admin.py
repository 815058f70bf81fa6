"""The admin's way to correct a dissolution date entered wrong: a small form on the dissolved party
organization's admin page, calling `party_organization_correct_dissolution` (which audits it); the
service's refusals on the date field; 404 outside the scope, refused to anyone but staff."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from branches.models import CoverageLink, PartyOrganization, PartyOrganizationChange
from branches.services.coverage import coverage_link_create
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.branches.factories import PartyOrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _url(po) -> str:
    return reverse("admin:branches_partyorganization_correct_dissolution", args=[po.pk])


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def test_staff_correct_the_date_from_the_change_page(dissolved, street_staff):
    po, link = dissolved["po"], dissolved["link"]
    client = _client(street_staff)
    change_page = client.get(reverse("admin:branches_partyorganization_change", args=[po.pk]))
    assert _url(po) in change_page.content.decode()
    form_page = client.get(_url(po))
    assert form_page.status_code == 200 and 'name="on"' in form_page.content.decode()

    response = client.post(_url(po), {"on": "2021-01-01"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:branches_partyorganization_change", args=[po.pk])
    po.refresh_from_db()
    assert po.dissolved_on == D(2021, 1, 1)
    assert CoverageLink.objects.get(pk=link.pk).until == D(2021, 1, 1)  # moved with it
    correction = po.changes.filter(action=PartyOrganizationChange.Action.UPDATED).latest("pk")
    assert correction.details["dissolved_on"] == ["2022-01-01", "2021-01-01"]
    assert correction.recorded_by == street_staff  # the service's audit


def _refusal(client, po, on: str) -> list[str]:
    response = client.post(_url(po), {"on": on})
    assert response.status_code == 200
    return response.context["form"].errors["on"]


def test_refusals_on_the_date_field_in_chinese_nothing_written(
    dissolved, regions, street_staff, project_catalogue
):
    po, org = dissolved["po"], dissolved["org"]
    other = PartyOrganizationFactory(name="乙社工党支部", region=regions.street_a, founded_on=D(2016, 1, 1))
    coverage_link_create(party_organization=other, organization=org, since=D(2022, 1, 1), actor=SYSTEM)
    client = _client(street_staff)

    assert _refusal(client, po, "2099-01-01") == ["日期不能晚于今天。"]
    later = " ".join(_refusal(client, po, "2023-01-01"))  # the other branch covers it from 2022
    assert "乙社工党支部" in later

    po.refresh_from_db()
    assert po.dissolved_on == D(2022, 1, 1)
    assert CoverageLink.objects.get(pk=dissolved["link"].pk).until == D(2022, 1, 1)
    assert not po.changes.filter(action=PartyOrganizationChange.Action.UPDATED).exists()


def test_a_live_party_organization_has_no_date_to_correct(regions, street_staff, project_catalogue):
    po = PartyOrganizationFactory(name="丙党支部", region=regions.street_a, founded_on=D(2016, 1, 1))
    client = _client(street_staff)
    change_page = client.get(reverse("admin:branches_partyorganization_change", args=[po.pk]))
    assert _url(po) not in change_page.content.decode()

    assert _refusal(client, po, "2021-01-01") == ["丙党支部 未被撤销，没有可更正的撤销日期。"]
    assert PartyOrganization.objects.get(pk=po.pk).dissolved_on is None


def test_refused_outside_the_scope_and_to_anyone_but_staff(dissolved, other_street_staff, secretary):
    po = dissolved["po"]
    url = _url(po)

    assert _client(other_street_staff).get(url).status_code == 404
    assert _client(other_street_staff).post(url, {"on": "2021-01-01"}).status_code == 404
    for user in (None, secretary):
        for response in (_client(user).get(url), _client(user).post(url, {"on": "2021-01-01"})):
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    po.refresh_from_db()
    assert po.dissolved_on == D(2022, 1, 1)


def test_refused_to_a_staff_flagged_user_without_a_staff_role(dissolved, regions):
    contact = UserFactory(role=Role.ORG_CONTACT, is_staff=True, username="contact_flagged")
    assert _client(contact).post(_url(dissolved["po"]), {"on": "2021-01-01"}).status_code in (403, 404)
    dissolved["po"].refresh_from_db()
    assert dissolved["po"].dissolved_on == D(2022, 1, 1)


def test_the_dissolve_action_confirmation_shares_the_page_layout(regions, street_staff):
    """The dissolve action's confirmation and the correction page use one admin layout
    (templates/admin/service_page.html): breadcrumbs to the changelist, the form's fields aligned."""
    po = PartyOrganizationFactory(name="丁党支部", region=regions.street_a, founded_on=D(2016, 1, 1))
    changelist = reverse("admin:branches_partyorganization_changelist")
    page = _client(street_staff).post(
        changelist, {"action": "dissolve_selected", "_selected_action": [po.pk]}
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{changelist}"' in html and 'class="breadcrumbs"' in html
    assert 'name="on"' in html and "丁党支部" in html
    assert PartyOrganization.objects.get(pk=po.pk).dissolved_on is None
