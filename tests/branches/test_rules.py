import datetime as dt

import pytest
import time_machine

from branches.models import CommitteePost, PartyOrganization
from branches.rules import warning_codes, warnings_for, warnings_for_many
from branches.services.party_organizations import party_organization_dissolve
from branches.services.posts import committee_post_create
from members.models import Member
from tests.actors import SYSTEM
from tests.branches.factories import (
    CoverageLinkFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
)

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
D = dt.date
TODAY = D(2025, 6, 1)
pytestmark = pytest.mark.django_db


def codes(po, today=TODAY):
    return warning_codes(warnings_for(po, today=today))


def with_full_members(po, count, **kwargs):
    return [MemberFactory(party_organization=po, **kwargs) for _ in range(count)]


def with_secretary(po):
    holder = MemberFactory(party_organization=po)
    committee_post_create(
        party_organization=po,
        member=holder,
        post=CommitteePost.Post.SECRETARY,
        since=D(2024, 1, 1),
        actor=SYSTEM,
    )
    return holder


def test_warnings_branch_with_two_full_members_warns(regions):
    po = PartyOrganizationFactory()
    with_full_members(po, 2)
    MemberFactory(party_organization=po, stage=Member.Stage.PROBATIONARY)  # not a full member
    assert "too_few_full_members" in codes(po)


def test_warnings_branch_with_three_full_members_quiet(regions):
    po = PartyOrganizationFactory()
    with_full_members(po, 3)
    assert "too_few_full_members" not in codes(po)


def test_warnings_threshold_is_a_setting(regions, settings):
    settings.BRANCH_MIN_FULL_MEMBERS = 5
    po = PartyOrganizationFactory()
    with_full_members(po, 4)
    assert "too_few_full_members" in codes(po)


def test_warnings_suspended_members_do_not_count(regions):
    po = PartyOrganizationFactory()
    with_full_members(po, 2)
    MemberFactory(party_organization=po, status=Member.Status.SUSPENDED)
    assert "too_few_full_members" in codes(po)


def test_warnings_seven_full_members_without_committee_warns(regions):
    po = PartyOrganizationFactory()
    with_full_members(po, 7)
    assert "committee_needed" in codes(po)


def test_warnings_seven_full_members_with_committee_quiet(regions):
    po = PartyOrganizationFactory(has_committee=True)
    with_full_members(po, 7)
    assert "committee_needed" not in codes(po)


def test_warnings_six_full_members_without_committee_quiet(regions):
    po = PartyOrganizationFactory()
    with_full_members(po, 6)
    assert "committee_needed" not in codes(po)


def test_warnings_fifty_members_could_be_general_branch(regions, settings):
    settings.GENERAL_BRANCH_MIN_MEMBERS = 4  # same rule, smaller numbers
    settings.COMMITTEE_MIN_MEMBERS = 6
    po = PartyOrganizationFactory(has_committee=True)
    with_full_members(po, 3)
    MemberFactory(party_organization=po, stage=Member.Stage.PROBATIONARY)
    MemberFactory(party_organization=po, stage=Member.Stage.ACTIVIST)  # not a Party member yet
    assert "could_be_general_branch" in codes(po)
    assert "could_be_committee" not in codes(po)


def test_warnings_hundred_members_could_be_committee(regions, settings):
    settings.GENERAL_BRANCH_MIN_MEMBERS = 4
    settings.COMMITTEE_MIN_MEMBERS = 6
    po = PartyOrganizationFactory(has_committee=True)
    with_full_members(po, 6)
    found = codes(po)
    assert "could_be_committee" in found and "could_be_general_branch" not in found


def test_warnings_general_branch_counts_members_of_its_branches(regions, settings):
    settings.COMMITTEE_MIN_MEMBERS = 6
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH)
    for _ in range(2):
        with_full_members(PartyOrganizationFactory(parent=general), 3)
    assert "could_be_committee" in codes(general)


def test_warnings_default_thresholds_fifty_and_hundred(regions, settings):
    assert (settings.GENERAL_BRANCH_MIN_MEMBERS, settings.COMMITTEE_MIN_MEMBERS) == (50, 100)
    assert (settings.BRANCH_MIN_FULL_MEMBERS, settings.COMMITTEE_MIN_FULL_MEMBERS) == (3, 7)
    assert (settings.JOINT_BRANCH_MAX_ORGS, settings.SHOULD_BUILD_MIN_FULL_MEMBERS) == (5, 3)


def test_warnings_joint_branch_above_limit_warns(regions, settings):
    settings.JOINT_BRANCH_MAX_ORGS = 2
    po = PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT)
    for _ in range(3):
        CoverageLinkFactory(party_organization=po)
    assert "joint_too_many_orgs" in codes(po)


def test_warnings_joint_branch_at_limit_quiet(regions, settings):
    settings.JOINT_BRANCH_MAX_ORGS = 2
    po = PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT)
    for _ in range(2):
        CoverageLinkFactory(party_organization=po)
    assert (
        warning_codes(warnings_for(po, today=TODAY)) & {"joint_too_many_orgs", "joint_too_few_orgs"} == set()
    )


def test_warnings_joint_branch_with_one_org_warns(regions):
    po = PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT)
    CoverageLinkFactory(party_organization=po)
    assert "joint_too_few_orgs" in codes(po)


def test_warnings_org_with_three_full_members_covered_jointly_should_build(regions):
    # given a joint branch covering an org that employs 3 full members (held anywhere)
    po = PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT)
    big = OrganizationFactory(name="大机构")
    CoverageLinkFactory(party_organization=po, organization=big)
    CoverageLinkFactory(party_organization=po)
    with_full_members(po, 3, employer=big)
    # then the joint branch warns about that org by name
    found = [w for w in warnings_for(po, today=TODAY) if w.code == "should_build"]
    assert len(found) == 1 and "大机构" in found[0].message


def test_warnings_org_with_three_full_members_covered_by_fallback_should_build(regions):
    po = PartyOrganizationFactory(building_mode=Mode.FALLBACK)
    big = OrganizationFactory()
    CoverageLinkFactory(party_organization=po, organization=big)
    with_full_members(po, 3, employer=big)
    assert "should_build" in codes(po)


def test_warnings_org_with_two_full_members_covered_jointly_quiet(regions):
    po = PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT)
    small = OrganizationFactory()
    CoverageLinkFactory(party_organization=po, organization=small)
    with_full_members(po, 2, employer=small)
    MemberFactory(party_organization=po, employer=small, stage=Member.Stage.PROBATIONARY)
    assert "should_build" not in codes(po)


def test_warnings_single_branch_employer_quiet(regions):
    po = PartyOrganizationFactory()
    own = OrganizationFactory()
    CoverageLinkFactory(party_organization=po, organization=own)
    with_full_members(po, 3, employer=own)
    assert "should_build" not in codes(po)


def test_warnings_term_past_election_date_warns(regions):
    po = PartyOrganizationFactory(founded_on=D(2019, 1, 1))  # branch: 3 years, due 2022-01-01
    assert "election_overdue" in codes(po, today=D(2022, 1, 2))
    assert "election_overdue" not in codes(po, today=D(2022, 1, 1))


def test_warnings_default_today_is_local_date(regions):
    po = PartyOrganizationFactory(founded_on=D(2019, 1, 1))
    with time_machine.travel(dt.datetime(2021, 12, 31, 12, tzinfo=dt.UTC)):
        assert "election_overdue" not in warning_codes(warnings_for(po))
    with time_machine.travel(dt.datetime(2022, 1, 2, 12, tzinfo=dt.UTC)):
        assert "election_overdue" in warning_codes(warnings_for(po))


def test_warnings_temporary_branch_never_election_overdue(regions):
    po = PartyOrganizationFactory(kind=Kind.TEMPORARY_BRANCH, founded_on=D(2010, 1, 1))
    assert "election_overdue" not in codes(po)


def test_warnings_no_current_secretary_warns(regions):
    po = PartyOrganizationFactory()
    assert "no_secretary" in codes(po)
    with_secretary(po)
    assert "no_secretary" not in codes(po)


def test_warnings_ended_secretary_post_warns_again(regions):
    po = PartyOrganizationFactory()
    holder = MemberFactory(party_organization=po)
    committee_post_create(
        party_organization=po, member=holder, post="secretary", since=D(2020, 1, 1), actor=SYSTEM
    )
    from branches.services.posts import committee_post_end

    committee_post_end(post=po.posts.get(), until=D(2024, 1, 1), actor=SYSTEM)
    assert "no_secretary" in codes(po)


def test_warnings_dissolved_po_none(regions):
    po = PartyOrganizationFactory()
    dissolved = party_organization_dissolve(party_organization=po, on=D(2024, 1, 1), actor=SYSTEM)
    assert warnings_for(dissolved, today=TODAY) == []


def _spread(count):
    """`count` party organizations of every mode, each with links, members, an employer."""
    pos = []
    for i in range(count):
        mode = [Mode.SINGLE, Mode.JOINT, Mode.FALLBACK][i % 3]
        kind = Kind.JOINT_BRANCH if mode == Mode.JOINT else Kind.BRANCH
        po = PartyOrganizationFactory(kind=kind, building_mode=mode)
        org = OrganizationFactory()
        CoverageLinkFactory(party_organization=po, organization=org)
        with_full_members(po, 3, employer=org)
        pos.append(po)
    return pos


def test_warnings_for_many_fixed_number_of_queries(regions, django_assert_num_queries):
    small = _spread(3)
    large = small + _spread(9)
    with django_assert_num_queries(2):
        result_small = warnings_for_many(small, today=TODAY)
    with django_assert_num_queries(2):
        result_large = warnings_for_many(large, today=TODAY)
    assert set(result_large) == {po.pk for po in large}
    # the bulk answer is the single answer
    assert {k: warning_codes(v) for k, v in result_small.items()} == {po.pk: codes(po) for po in small}
