"""Bulk payments: the roll's sheet filled in; a bad row writes nothing; good rows are all written."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dues.models import DuesEntry
from tests.dues.factories import base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("dues_portal:import")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _filled_sheet(client, roll, values):
    """Download the roll's payment sheet and fill in (amount, paid on) per row."""
    response = client.get(reverse("dues_portal:roll_sheet", args=[roll.pk]))
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    for row, (amount, paid_on) in zip(range(2, sheet.max_row + 1), values, strict=False):
        sheet.cell(row=row, column=5, value=amount)
        sheet.cell(row=row, column=6, value=paid_on)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "payments.xlsx"
    return buffer


@pytest.fixture
def roll(pos):
    for name in ("甲", "乙", "丙"):
        base_for(MemberFactory(party_organization=pos.branch_a, name=name), income="3000")
    return roll_for(pos.branch_a)


def test_import_bad_row_writes_nothing(roll, secretary_a):
    client = _client(secretary_a)
    sheet = _filled_sheet(
        client, roll, [(15, date(2025, 1, 10)), ("十五", date(2025, 1, 10)), (15, "2999-01-01")]
    )
    response = client.post(IMPORT, {"file": sheet})
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not an amount in yuan" in body and "Enter a date between" in body
    assert 'data-testid="nothing-written"' in body and 'name="token"' not in body
    assert not DuesEntry.objects.exists()


def test_import_good_rows_preview_then_confirm_writes_all(roll, secretary_a):
    client = _client(secretary_a)
    sheet = _filled_sheet(client, roll, [(15, date(2025, 1, 10)), (None, None), ("15.00", "2025-01-12")])
    preview = client.post(IMPORT, {"file": sheet})
    assert not DuesEntry.objects.exists()  # the preview writes nothing
    token = preview.context["token"]
    response = client.post(IMPORT, {"token": token})
    assert response.status_code == 302
    assert DuesEntry.objects.count() == 2
    assert client.post(IMPORT, {"token": token}).status_code == 302  # a replay finds the token spent
    assert DuesEntry.objects.count() == 2


def test_import_line_of_other_branch_refused(roll, secretary_a, secretary_b):
    client = _client(secretary_b)
    sheet = _filled_sheet(_client(secretary_a), roll, [(15, date(2025, 1, 10))])
    body = client.post(IMPORT, {"file": sheet}).content.decode()
    assert "no such line on your rolls" in body
    assert not DuesEntry.objects.exists()


def test_import_not_xlsx_refused_naming_file(pos, secretary_a):
    upload = io.BytesIO(b"not a workbook")
    upload.name = "x.xlsx"
    response = _client(secretary_a).post(IMPORT, {"file": upload})
    assert response.context["form"].errors["file"]
