import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import RevealLog
from tests.access import assert_role_matrix
from tests.dues.factories import base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
STAFF_IN_SCOPE = {
    "superuser": 200,
    "district_staff": 200,
    "street_staff": 200,
    "other_street_staff": 404,
    "secretary": 302,
    "org_contact": 302,
    "anonymous": 302,
}


@pytest.fixture
def base(pos):
    base = base_for(MemberFactory(party_organization=pos.branch_a), income="7654.32")
    roll_for(pos.branch_a)
    return base


@pytest.mark.parametrize("model", ["duesbase", "duesroll", "duesentry"])
def test_dues_admin_changelist_never_lists_base_figures(role_users, base, model):
    url = reverse(f"admin:dues_{model}_changelist")
    expected = {**STAFF_IN_SCOPE, "other_street_staff": 200}  # an empty list of their own scope
    assert_role_matrix(role_users, url, expected)
    client = Client()
    client.force_login(role_users["district_staff"])
    assert "7654" not in client.get(url).content.decode()


def test_dues_admin_base_change_page_scoped_and_logged(role_users, base):
    url = reverse("admin:dues_duesbase_change", args=[base.pk])
    assert_role_matrix(role_users, url, STAFF_IN_SCOPE)
    # the three who saw it
    assert RevealLog.objects.filter(field="dues_base", member=base.member).count() == 3


def test_dues_admin_roll_change_page_scoped(role_users, base):
    roll = base.member.dues_lines.get().roll
    assert_role_matrix(role_users, reverse("admin:dues_duesroll_change", args=[roll.pk]), STAFF_IN_SCOPE)


def test_dues_admin_base_changelist_query_count_flat(pos, base, district_staff):
    client = Client()
    client.force_login(district_staff)
    url = reverse("admin:dues_duesbase_changelist")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        base_for(MemberFactory(party_organization=pos.branch_a), income="3000")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
