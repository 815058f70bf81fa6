import pytest

from branches.models import PartyOrganization
from dues.demo import seed_dues
from dues.models import DuesBase, DuesEntry, DuesRoll
from tests.dues.factories import base_for
from tests.members.factories import MemberFactory, po_create
from tests.orgs.factories import build_region_tree

pytestmark = pytest.mark.django_db


def test_seed_dues_demo_district_only_and_idempotent(pos):
    # given paying members in the demo district (the fixtures' 330499) and in another district
    for _ in range(4):
        MemberFactory(party_organization=pos.branch_a)
    other = build_region_tree("330599")
    outside = po_create("外区支部", "branch", other.community_a1, None)
    stranger = MemberFactory(party_organization=outside)
    base_for(stranger, income="3000")
    # when seeded twice
    first = seed_dues()
    second = seed_dues()
    # then a year of rolls for the demo branch, nothing outside, nothing new the second time
    assert first["bases"] == 4 and first["rolls"] == 12 and first["payments"] > 0
    assert second == {"bases": 0, "rolls": 0, "payments": 0}
    assert not DuesRoll.objects.filter(party_organization=outside).exists()
    assert DuesBase.objects.filter(member=stranger).count() == 1
    assert not DuesRoll.objects.filter(
        party_organization__kind=PartyOrganization.Kind.TEMPORARY_BRANCH
    ).exists()
    assert DuesEntry.objects.count() == first["payments"]


def test_seed_dues_draws_follow_the_person_not_the_row_id():
    from datetime import date

    from dues.demo import member_rng
    from members.models import Member

    # given the same person under two row ids (another database, a reset, rows written before)
    one = Member(pk=7, name="王芳", birth_date=date(1980, 5, 1))
    same = Member(pk=8, name="王芳", birth_date=date(1980, 5, 1))
    other = Member(pk=7, name="李强", birth_date=date(1979, 2, 3))
    # then they draw the same numbers, and another person other numbers
    assert member_rng(one).random() == member_rng(same).random() != member_rng(other).random()
