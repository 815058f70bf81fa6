"""`manage.py coverage_stats`, `manage.py coverage_snapshot` and /api/v1/coverage/."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from stats.models import CoverageSnapshot
from tests.access import assert_role_matrix
from tests.stats import builders as b
from tests.stats.conftest import D1, D2

pytestmark = pytest.mark.django_db
URL = "/api/v1/coverage/"


def _stats(*args) -> str:
    out = io.StringIO()
    call_command("coverage_stats", *args, stdout=out)
    return out.getvalue()


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coverage_stats_json_has_api_keys_and_hand_counted_figures(dataset):
    figures = json.loads(_stats("--region", "330499", "--date", D2.isoformat(), "--format", "json"))

    assert (figures["total"], figures["org_covered"], figures["org_coverage"]) == (14, 10, 0.7143)
    for key in (
        "single",
        "joint",
        "fallback",
        "work_covered",
        "work_coverage",
        "should_build",
        "should_build_list",
        "large",
        "party_organizations_by_kind",
        "party_organizations_by_mode",
        "members_by_stage",
        "by_street",
        "by_kind",
        "by_management_mode",
    ):
        assert key in figures, key


def test_coverage_stats_table_one_row_per_street_and_total(dataset):
    out = _stats("--region", "330499", "--date", D1.isoformat())
    lines = out.splitlines()

    street_a = next(line for line in lines if line.startswith("东湖街道"))
    street_b = next(line for line in lines if line.startswith("钟埭街道"))
    # A on D1: 7 orgs, 1 single, 5 joint, 0 fallback, 6 covered, 85.71 %
    assert street_a.split()[1:7] == ["7", "1", "5", "0", "6", "85.71%"]
    # B on D1: 6 orgs, 0 single, 2 joint, 3 fallback, 5 covered, 83.33 %
    assert street_b.split()[1:7] == ["6", "0", "2", "3", "5", "83.33%"]
    total = [line for line in lines if line.split()[:1] and line.split()[1:2] == ["14"]]
    assert len(total) == 1 and total[0].split()[1:7] == ["14", "1", "7", "4", "12", "85.71%"]


def test_coverage_stats_unknown_region_names_the_option(regions):
    with pytest.raises(CommandError, match=r"^--region: .*999999"):
        _stats("--region", "999999")


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2999-01-01"])
def test_coverage_stats_bad_date_names_the_option_and_value(regions, value):
    # the message is in the user's language; it names the option and repeats the value
    with pytest.raises(CommandError, match=rf"^--date: .*{value}") as refused:
        _stats("--region", "330499", "--date", value)

    assert "--region" not in str(refused.value)


def test_coverage_snapshot_command_recomputes_a_date(dataset):
    out = io.StringIO()
    call_command("coverage_snapshot", "--date", D1.isoformat(), stdout=out)
    call_command("coverage_snapshot", "--date", D1.isoformat(), "--region", "330499001", stdout=out)

    # every district with its streets, then street A again (replaced, not duplicated)
    assert set(CoverageSnapshot.objects.values_list("region__code", "date")) == {
        ("330499", D1),
        ("330499001", D1),
        ("330499002", D1),
    }
    assert CoverageSnapshot.objects.count() == 3
    assert CoverageSnapshot.objects.get(region__code="330499001").figures["total"] == 7
    first_line = out.getvalue().splitlines()[0]
    assert first_line.startswith("330499 2023-06-30") and "14" in first_line


def test_coverage_snapshot_command_defaults_to_yesterday(regions):
    call_command("coverage_snapshot", stdout=io.StringIO())

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert set(CoverageSnapshot.objects.values_list("region__code", "date")) == {
        ("330499", yesterday),
        ("330499001", yesterday),
        ("330499002", yesterday),
    }


def test_coverage_api_matrix_staff_in_scope_only(role_users, dataset):
    # street A asked: district staff and street A's staff may; street B's staff, secretaries and org
    # contacts get 404 (nothing to probe); anonymous is refused by authentication
    assert_role_matrix(
        role_users,
        f"{URL}?region=330499001",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "secretary": 404,
            "org_contact": 404,
            "anonymous": 403,
        },
    )
    assert_role_matrix(role_users, f"{URL}?region=330499", {"district_staff": 200, "street_staff": 404})


def test_coverage_api_same_figures_as_command_json(dataset, district_staff):
    response = _client(district_staff).get(URL, {"region": "330499", "date": D2.isoformat()})

    assert response.status_code == 200
    command = json.loads(_stats("--region", "330499", "--date", D2.isoformat(), "--format", "json"))
    assert response.json() == command


def test_coverage_api_defaults_to_scope_region_and_today(dataset, street_staff):
    response = _client(street_staff).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["region"]["code"], body["date"]) == ("330499001", timezone.localdate().isoformat())


def test_coverage_api_superuser_without_region_is_400_naming_it(superuser):
    response = _client(superuser).get(URL)

    assert response.status_code == 400
    assert "region" in response.json()


@pytest.mark.parametrize("value", ["2024-02-30", "30/06/2024", "2999-01-01"])
def test_coverage_api_bad_date_is_400_naming_the_field(dataset, district_staff, value):
    response = _client(district_staff).get(URL, {"region": "330499", "date": value})

    assert response.status_code == 400
    assert list(response.json()) == ["date"]


def test_coverage_api_bad_filters_are_400_naming_each_field(dataset, district_staff):
    response = _client(district_staff).get(
        URL, {"region": "330499", "kind": "club", "min_staff": "-3", "management_mode": "industry"}
    )

    assert response.status_code == 400
    assert set(response.json()) == {"kind", "min_staff"}


def test_coverage_api_filters_narrow_org_figures(dataset, district_staff):
    response = _client(district_staff).get(
        URL, {"region": "330499", "date": D2.isoformat(), "min_staff": "30"}
    )

    assert response.status_code == 200
    body = response.json()
    # the ≥ 30 staff orgs on D2: 1 S, 5 S, 10 J, 11 -
    assert (body["total"], body["single"], body["joint"], body["should_build"]) == (4, 2, 1, 2)


def test_coverage_api_unknown_region_is_404(regions, district_staff):
    assert _client(district_staff).get(URL, {"region": "330499999"}).status_code == 404


def test_coverage_api_query_count_does_not_grow_with_data(regions, district_staff):
    cc = b.committee(regions.district)
    client = _client(district_staff)
    b.bulk_dataset(regions.district, cc, 20, day=D2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"region": "330499", "date": D2.isoformat()}).status_code == 200
    b.bulk_dataset(regions.district, cc, 200, day=D2)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL, {"region": "330499", "date": D2.isoformat()}).json()["total"] == 220

    assert len(small) == len(large)
