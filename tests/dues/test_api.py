from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from dues.models import DuesEntry
from tests.access import assert_role_matrix
from tests.dues.factories import base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def line(pos):
    base_for(MemberFactory(party_organization=pos.branch_a), income="3000")
    return roll_for(pos.branch_a).lines.get()


@pytest.mark.parametrize("resource", ["dues-rolls", "dues-lines"])
def test_dues_api_detail_role_matrix(role_users, secretary_a, secretary_b, line, resource):
    users = {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}
    pk = line.roll_id if resource == "dues-rolls" else line.pk
    expected = {
        "secretary_a": 200,
        "secretary_b": 404,
        "superuser": 200,
        "district_staff": 200,
        "street_staff": 200,
        "other_street_staff": 404,
        "org_contact": 404,
        "anonymous": 403,
    }
    assert_role_matrix(users, f"/api/v1/{resource}/{pk}/", expected)


def test_dues_api_lines_never_carry_the_base(line, secretary_a):
    row = _client(secretary_a).get("/api/v1/dues-lines/").json()["results"][0]
    assert row["amount_due"] == "15.00" and "monthly_income" not in row


def test_dues_api_payment_and_correction(line, secretary_a):
    client = _client(secretary_a)
    response = client.post(
        "/api/v1/dues-entries/", {"line": line.pk, "amount": "15.00", "paid_on": "2025-01-09"}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/dues-entries/{pk}/correct/", {"amount": "-15.00", "note": "wrong member"}
    )
    assert response.status_code == 201 and response.json()["corrects"] == pk
    assert [e.amount for e in DuesEntry.objects.order_by("pk")] == [Decimal("15.00"), Decimal("-15.00")]


def test_dues_api_payment_out_of_scope_refused(line, secretary_b):
    response = _client(secretary_b).post(
        "/api/v1/dues-entries/", {"line": line.pk, "amount": "15.00", "paid_on": "2025-01-09"}
    )
    assert response.status_code == 400 and "line" in response.json()
    assert not DuesEntry.objects.exists()


def test_dues_api_payment_bad_amount_names_field(line, secretary_a):
    response = _client(secretary_a).post(
        "/api/v1/dues-entries/", {"line": line.pk, "amount": "0", "paid_on": str(date(2025, 1, 9))}
    )
    assert response.status_code == 400 and "amount" in response.json()
