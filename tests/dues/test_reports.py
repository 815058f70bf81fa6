import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dues.reports import branch_month_report, branch_month_workbook, region_year_report
from dues.services.payments import dues_payment_record
from tests.dues.factories import TEST_ACTOR, base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(pos):
    base_for(MemberFactory(party_organization=pos.branch_a, name="=HYPERLINK(1)"), income="3000")
    base_for(MemberFactory(party_organization=pos.branch_a, name="李四"), income="10000")
    roll = roll_for(pos.branch_a)
    line = roll.lines.get(member__name="李四")
    dues_payment_record(line=line, amount=Decimal("150"), paid_on=date(2025, 1, 8), actor=TEST_ACTOR)
    return roll


def test_branch_month_report_totals_and_safe_cells(roll):
    report = branch_month_report(roll)
    assert (report.due, report.paid, report.outstanding) == (
        Decimal("165.00"),
        Decimal("150.00"),
        Decimal("15.00"),
    )
    sheet = branch_month_workbook(report).active
    assert isinstance(sheet, Worksheet)
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "2025-01" in str(values[0][0])
    names = [row[1] for row in values[3:5]]
    assert "'=HYPERLINK(1)" in names  # neutralised, not a formula
    total = values[5]
    assert total[3] == Decimal("165.00") and total[4] == Decimal("150.00")


def test_region_year_report_per_branch_and_month(roll, regions, district_staff):
    rows, total = region_year_report(region=regions.street_a, year=2025, user=district_staff)
    assert [(r.members, r.due, r.paid) for r in rows] == [(2, Decimal("165.00"), Decimal("150.00"))]
    assert total.by_month == {1: Decimal("150.00")} and total.rate == Decimal("90.9")


def test_region_year_report_download(roll, regions, street_staff):
    client = Client()
    client.force_login(street_staff)
    response = client.get(reverse("dues_portal:region_report"), {"year": "2025", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert isinstance(sheet, Worksheet)
    assert "东湖街道" in sheet["A1"].value
    assert sheet["D5"].value == 165 and sheet["E5"].value == 150
    # printed on A4 landscape, one page wide (fitToPage on, else Excel ignores fitToWidth)
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    setup_properties = sheet.sheet_properties.pageSetUpPr
    assert setup_properties is not None and setup_properties.fitToPage and sheet.print_title_rows == "$3:$3"
