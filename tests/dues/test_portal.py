"""Role × view for every dues page; the base shown only on the member's page, and logged."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dues.models import DuesEntry
from dues.services.payments import dues_payment_record
from members.models import RevealLog
from tests.access import assert_role_matrix
from tests.dues.factories import TEST_ACTOR, base_for, roll_for
from tests.members.factories import MemberFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

# Branch A lies in street A: its secretary and staff over street A (and the district) keep its dues.
KEEPERS = {
    "secretary_a": 200,
    "secretary_b": 404,
    "secretary": 404,  # no party organization
    "superuser": 200,
    "district_staff": 200,
    "street_staff": 200,
    "other_street_staff": 404,
    "org_contact": 404,
    "anonymous": 302,
}
# Pages of one's own party organization: every secretary with one gets theirs.
SECRETARY_ONLY = {**KEEPERS, "secretary_b": 200, "superuser": 404, "district_staff": 404, "street_staff": 404}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


@pytest.fixture
def paid(pos):
    member = MemberFactory(party_organization=pos.branch_a, name="张三")
    base_for(member, income="8000")
    roll = roll_for(pos.branch_a)
    entry = dues_payment_record(
        line=roll.lines.get(), amount=Decimal("120"), paid_on=date(2025, 1, 5), actor=TEST_ACTOR
    )
    return member, roll, entry


@pytest.mark.parametrize("name", ["roll", "roll_report", "roll_sheet"])
def test_dues_roll_pages_role_matrix(users, paid, name):
    _member, roll, _entry = paid
    assert_role_matrix(users, reverse(f"dues_portal:{name}", args=[roll.pk]), KEEPERS)


def test_dues_member_page_role_matrix(users, paid):
    member, _roll, _entry = paid
    assert_role_matrix(users, reverse("dues_portal:member", args=[member.pk]), KEEPERS)


def test_dues_correct_page_role_matrix(users, paid):
    _member, _roll, entry = paid
    assert_role_matrix(users, reverse("dues_portal:correct", args=[entry.pk]), KEEPERS)


def test_dues_home_and_import_role_matrix(users, paid):
    assert_role_matrix(users, reverse("dues_portal:home"), SECRETARY_ONLY)
    assert_role_matrix(users, reverse("dues_portal:import"), SECRETARY_ONLY)


def test_dues_arrears_role_matrix(users, paid):
    expected = {**KEEPERS, "secretary_b": 200, "other_street_staff": 200}  # their own scope's list
    assert_role_matrix(users, reverse("dues_portal:arrears"), expected)


def test_dues_region_report_role_matrix(users, paid, regions):
    url = reverse("dues_portal:region_report") + f"?year=2025&region={regions.street_a.pk}"
    expected = {
        "superuser": 200,
        "district_staff": 200,
        "street_staff": 200,
        "other_street_staff": 200,  # the form refuses street A (not among their choices)
        "secretary_a": 404,
        "org_contact": 404,
        "anonymous": 302,
    }
    assert_role_matrix(users, url, expected)
    response = _client(users["other_street_staff"]).get(url)
    assert "region" in response.context["form"].errors


def test_dues_pay_post_role_matrix(users, paid):
    _member, roll, _entry = paid
    url = reverse("dues_portal:pay", args=[roll.lines.get().pk])
    data = {"amount": "1.00", "paid_on": "2025-01-06"}
    expected = {**KEEPERS, "secretary_a": 302, "superuser": 302, "district_staff": 302, "street_staff": 302}
    assert_role_matrix(users, url, expected, method="post", data=data)
    assert DuesEntry.objects.filter(amount=Decimal("1.00")).count() == 4  # the four allowed, nobody else


def test_dues_generate_other_roles_404(users, pos):
    expected = {"secretary_b": 302, "district_staff": 404, "org_contact": 404, "anonymous": 302}
    assert_role_matrix(users, reverse("dues_portal:generate"), expected, method="post")


def test_dues_member_page_shows_base_and_logs_reveal(paid, secretary_a):
    member, _roll, _entry = paid
    body = _client(secretary_a).get(reverse("dues_portal:member", args=[member.pk])).content.decode()
    assert "8000.00" in body
    log = RevealLog.objects.get()
    assert (log.member, log.field, log.user) == (member, "dues_base", secretary_a)


def test_dues_roll_page_never_shows_base(paid, secretary_a):
    _member, roll, _entry = paid
    body = _client(secretary_a).get(reverse("dues_portal:roll", args=[roll.pk])).content.decode()
    assert "张三" in body and "120.00" in body and "8000" not in body
    assert not RevealLog.objects.exists()


def test_dues_base_form_saves_every_field(paid, secretary_a):
    member, _roll, _entry = paid
    response = _client(secretary_a).post(
        reverse("dues_portal:member", args=[member.pk]),
        {
            "category": "retired",
            "monthly_income": "5000.01",
            "pledged_amount": "60",
            "valid_from": "2025-02",
            "note": "退休",
        },
    )
    assert response.status_code == 302
    base = member.dues_bases.get(valid_from=date(2025, 2, 1))
    assert (base.category, base.monthly_income, base.pledged_amount, base.note) == (
        "retired",
        Decimal("5000.01"),
        Decimal("60.00"),
        "退休",
    )


def test_dues_base_form_bad_input_names_field(paid, secretary_a):
    member, _roll, _entry = paid
    response = _client(secretary_a).post(
        reverse("dues_portal:member", args=[member.pk]), {"category": "income", "valid_from": "2025-02"}
    )
    assert response.status_code == 200 and "monthly_income" in response.context["form"].errors


@pytest.mark.parametrize("page", ["roll", "home", "arrears"])
def test_dues_list_pages_query_count_flat(pos, secretary_a, page):
    base_for(MemberFactory(party_organization=pos.branch_a), income="3000")
    roll = roll_for(pos.branch_a)
    client = _client(secretary_a)
    url = reverse("dues_portal:roll", args=[roll.pk]) if page == "roll" else reverse(f"dues_portal:{page}")
    few = page_queries(client, url)
    for _ in range(5):
        base_for(MemberFactory(party_organization=pos.branch_a), income="6000")
    roll_for(pos.branch_a)
    roll_for(pos.branch_a, month=date(2025, 2, 1))
    assert page_queries(client, url) == few
