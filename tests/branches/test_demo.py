import datetime as dt

import pytest
from django.db.models import Count, Q

from accounts.demo import seed_users
from accounts.models import User
from branches.demo import COMMITTEE_NAME, seed_party_organizations
from branches.models import CoverageLink, Instructor, InstructorAssignment, PartyOrganization
from orgs.demo.organizations import seed_organizations
from orgs.demo.regions import seed_regions
from orgs.tree_checks import check_model

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
pytestmark = pytest.mark.django_db


def test_demo_without_district_does_nothing():
    assert seed_party_organizations() == {
        "party_organizations": 0,
        "links": 0,
        "instructors": 0,
        "assignments": 0,
    }
    assert not PartyOrganization.objects.exists()


def test_demo_without_organizations_creates_committee_only():
    seed_regions()
    seed_party_organizations()
    assert list(PartyOrganization.objects.values_list("name", flat=True)) == [COMMITTEE_NAME]


def test_demo_party_tree_shaped_on_seeds_and_idempotent():
    # given the demo district, its registry and accounts
    seed_regions()
    seed_users()
    seed_organizations()
    # when the party tree is seeded
    created = seed_party_organizations()
    # then: Pinghu's committee with 44 party organizations under it
    committee = PartyOrganization.objects.get(name=COMMITTEE_NAME)
    assert committee.founded_on == dt.date(2014, 11, 12) and committee.is_root_node()
    below = PartyOrganization.objects.filter(tree_id=committee.tree_id, level__gt=0)
    assert below.count() == 44 == created["party_organizations"] - 1
    assert check_model(PartyOrganization) == []
    # Zhifu's mix: single branches cover one org each, joint 3-5, one fallback branch
    counts = below.annotate(n=Count("coverage_links", filter=Q(coverage_links__until__isnull=True)))
    joint = [po.n for po in counts.filter(building_mode=Mode.JOINT)]
    assert len(joint) >= 20 and all(3 <= n <= 5 for n in joint)
    singles = counts.filter(building_mode=Mode.SINGLE, kind__in=[Kind.BRANCH, Kind.GENERAL_BRANCH], level=1)
    assert singles.count() >= 8 and all(po.n == 1 for po in singles)
    fallback = counts.get(building_mode=Mode.FALLBACK)
    assert fallback.n > 0
    assert (
        not CoverageLink.objects.filter(party_organization=fallback)
        .exclude(organization__management_mode="fallback")
        .exists()
    )
    # instructors reach organizations that are not org-covered
    assert Instructor.objects.exists()
    covered = CoverageLink.objects.filter(until__isnull=True).values("organization_id")
    assert InstructorAssignment.objects.exists()
    assert not InstructorAssignment.objects.filter(organization_id__in=covered).exists()
    # the demo secretary keeps a joint branch
    secretary = User.objects.get(username="secretary")
    assert secretary.party_organization is not None
    assert secretary.party_organization.building_mode == Mode.JOINT
    # a second run writes nothing
    before = (
        PartyOrganization.objects.count(),
        CoverageLink.objects.count(),
        InstructorAssignment.objects.count(),
    )
    assert seed_party_organizations() == {
        "party_organizations": 0,
        "links": 0,
        "instructors": 0,
        "assignments": 0,
    }
    after = (
        PartyOrganization.objects.count(),
        CoverageLink.objects.count(),
        InstructorAssignment.objects.count(),
    )
    assert after == before


def test_demo_keeps_existing_secretary_link():
    seed_regions()
    seed_users()
    seed_organizations()
    seed_party_organizations()
    secretary = User.objects.get(username="secretary")
    chosen = (
        PartyOrganization.objects.filter(kind=Kind.JOINT_BRANCH)
        .exclude(pk=secretary.party_organization_id)
        .first()
    )
    secretary.party_organization = chosen
    secretary.save()
    seed_party_organizations()
    secretary.refresh_from_db()
    assert secretary.party_organization == chosen
