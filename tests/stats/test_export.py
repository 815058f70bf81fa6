"""The statistics table in Excel: one row per street and a totals row, the snapshot's own values."""

from io import BytesIO

import pytest
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from stats.models import CoverageSnapshot
from tests.stats import dashboard_data
from tests.stats.dashboard_data import LATEST

URL = "/portal/dashboard/export.xlsx"
HEADER_ROW = 3
FIRST_FIGURE_COLUMN = 3  # A: No., B: street


@pytest.fixture
def dataset(regions):
    return dashboard_data.build(regions)


def _download(client, user, **params):
    client.force_login(user)
    with translation.override("en"):
        response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(response.content)).active
    return response, sheet


def _table(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]


def _figures_row(figures: dict) -> list:
    stages = figures["members_by_stage"]
    return [
        figures["total"],
        figures["single"],
        figures["joint"],
        figures["fallback"],
        figures["org_covered"],
        figures["org_coverage"],
        figures["work_covered"],
        figures["work_coverage"],
        figures["should_build"],
        figures["large"]["total"],
        figures["large"]["org_coverage"],
        sum(figures["party_organizations_by_kind"].values()),
        stages["probationary"] + stages["full"],
        figures["members_by_affiliation"]["temporary"],
        figures["members_by_affiliation"]["flowing"],
    ]


def test_export_district_rows_are_streets_plus_totals_equal_to_snapshot(client, district_staff, dataset):
    snapshot = CoverageSnapshot.objects.get(region=dataset.regions.district, date=LATEST)

    response, sheet = _download(client, district_staff)

    header, *rows = _table(sheet)
    assert header[:3] == ["No.", "Street", "Organizations"]
    streets = snapshot.figures["by_street"]
    assert len(rows) == len(streets) + 1  # one per street (and the district-level row), plus totals
    for number, (row, street) in enumerate(zip(rows, streets, strict=False), start=1):
        assert row[0] == number
        assert row[FIRST_FIGURE_COLUMN - 1 :] == _figures_row(street)
    assert rows[-1][1] == "Total"
    assert rows[-1][FIRST_FIGURE_COLUMN - 1 :] == _figures_row(snapshot.figures)
    assert f"coverage-330499-{LATEST.isoformat()}.xlsx" in response["Content-Disposition"]


def test_export_totals_equal_sum_of_street_rows(client, district_staff, dataset):
    _response, sheet = _download(client, district_staff)

    _header, *rows = _table(sheet)
    count_columns = [2, 3, 4, 5, 6, 8, 10, 11, 13, 14, 15, 16]  # 0-based: every count, no percentage
    for col in count_columns:
        assert rows[-1][col] == sum(row[col] for row in rows[:-1])


def test_export_percentages_have_percent_format(client, district_staff, dataset):
    _response, sheet = _download(client, district_staff)

    headers = [cell.value for cell in sheet[HEADER_ROW]]
    totals_row = sheet.max_row
    for name in ("Org coverage", "Work coverage", "Their org coverage"):
        cell = sheet.cell(row=totals_row, column=headers.index(name) + 1)
        assert cell.number_format == "0.0%"
    assert sheet.cell(row=totals_row, column=headers.index("Org coverage") + 1).value == 0.6


def test_export_title_names_region_and_date(client, district_staff, dataset):
    _response, sheet = _download(client, district_staff)

    assert "示范区" in sheet["A1"].value
    with translation.override("en"):  # the download was asked for in English
        assert date_format(LATEST, "DATE_FORMAT") in sheet["A2"].value  # the user's own date format
    assert sheet.freeze_panes == "C4"


def test_export_street_staff_gets_their_street_only(client, street_staff, dataset):
    snapshot = CoverageSnapshot.objects.get(region=dataset.regions.district, date=LATEST)
    street_row = next(
        r for r in snapshot.figures["by_street"] if r["region_id"] == dataset.regions.street_a.pk
    )

    _response, sheet = _download(client, street_staff)

    _header, *rows = _table(sheet)
    assert [row[1] for row in rows] == ["东湖街道", "Total"]
    assert rows[0][FIRST_FIGURE_COLUMN - 1 :] == _figures_row(street_row)
    assert (
        rows[1][FIRST_FIGURE_COLUMN - 1 : FIRST_FIGURE_COLUMN + 4]
        == rows[0][FIRST_FIGURE_COLUMN - 1 : FIRST_FIGURE_COLUMN + 4]
    )


@pytest.mark.parametrize("user_fixture", ["secretary", "org_contact"])
def test_export_non_staff_get_404(client, request, dataset, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.get(URL).status_code == 404


def test_export_without_snapshot_is_404(client, district_staff, regions):
    client.force_login(district_staff)

    assert client.get(URL).status_code == 404
