"""/portal/history/: the change history of the staff member's own region, with filters, flat query count."""

from typing import Any

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access import assert_role_matrix
from tests.orgs.factories import OrganizationFactory

URL = "/portal/history/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _records(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {entry.object_repr for entry in response.context["entries"]}


@pytest.fixture
def changes(regions, district_staff):
    with set_actor(district_staff):
        a = OrganizationFactory(region=regions.community_a1, name="甲街道社工站")
        b = OrganizationFactory(region=regions.community_b1, name="乙街道志愿者协会")
    return {"a": a, "b": b}


def test_history_matrix_staff_only_others_404_anonymous_to_login(role_users, changes):
    assert_role_matrix(
        role_users,
        URL,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 200,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )


ORGS_ONLY: dict[str, Any] = {"model": "orgs.organization"}


def test_history_street_staff_sees_only_entries_of_their_street(
    changes, regions, street_staff, other_street_staff
):
    assert _records(_client(street_staff).get(URL, ORGS_ONLY)) == {"甲街道社工站"}
    assert _records(_client(other_street_staff).get(URL, ORGS_ONLY)) == {"乙街道志愿者协会"}
    # regions too: their own street and its communities, not the district or the other street
    street_regions = _records(_client(street_staff).get(URL, {"model": "orgs.region"}))
    assert regions.street_a.name in street_regions
    assert regions.community_a1.name in street_regions
    assert regions.street_b.name not in street_regions
    assert regions.district.name not in street_regions


def test_history_district_staff_sees_the_whole_district_with_actor_and_action(changes, district_staff):
    response = _client(district_staff).get(URL, ORGS_ONLY)

    assert _records(response) == {"甲街道社工站", "乙街道志愿者协会"}
    assert all(e.actor == district_staff for e in response.context["entries"])
    assert "甲街道社工站" in response.text


def test_history_filter_by_kind_action_and_actor(changes, regions, district_staff, street_staff):
    with set_actor(street_staff):
        changes["a"].short_name = "社工站"
        changes["a"].save()
    client = _client(district_staff)

    updates = client.get(URL, {"model": "orgs.organization", "action": LogEntry.Action.UPDATE})
    by_street = client.get(URL, {"actor": "street_a"})
    inspections = client.get(URL, {"model": "orgs.annualinspection"})

    assert [e.action for e in updates.context["entries"]] == [LogEntry.Action.UPDATE]
    assert [e.actor for e in by_street.context["entries"]] == [street_staff]
    assert _records(inspections) == set()


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "2026-13-45"])
def test_history_filter_bad_date_names_the_field_and_shows_nothing(changes, district_staff, bad):
    response = _client(district_staff).get(URL, {"since": bad})

    assert response.status_code == 200
    assert "since" in response.context["form"].errors
    assert response.context["entries"] == []


def test_history_query_count_does_not_grow_with_entries(regions, district_staff):
    client = _client(district_staff)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    with set_actor(district_staff):
        for n in range(3):
            OrganizationFactory(region=regions.community_a1, name=f"组织{n}")
    few = count_queries()
    with set_actor(district_staff):
        for n in range(3, 40):
            OrganizationFactory(region=regions.community_b2, name=f"组织{n}")
    many = count_queries()

    assert few == many
    assert many <= 8


def test_history_pages_without_count(regions, district_staff, monkeypatch):
    from accounts.views import history

    monkeypatch.setattr(history, "PAGE_SIZE", 2)
    with set_actor(district_staff):
        for n in range(5):
            OrganizationFactory(region=regions.community_a1, name=f"组织{n}")
    client = _client(district_staff)

    first, last = client.get(URL, ORGS_ONLY), client.get(URL, {**ORGS_ONLY, "page": 3})

    assert first.context["has_next"] and not first.context["has_previous"]
    assert len(last.context["entries"]) == 1 and not last.context["has_next"]
