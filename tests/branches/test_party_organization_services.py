import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from branches.models import PartyOrganization, PartyOrganizationChange
from branches.rules import can_recruit, recruitment_refusal
from branches.services.party_organizations import (
    party_organization_create,
    party_organization_dissolve,
    party_organization_move,
    party_organization_renew_term,
    party_organization_update,
)
from orgs.tree_checks import check_model
from tests.actors import SYSTEM
from tests.branches.factories import (
    CoverageLinkFactory,
    MemberFactory,
    PartyOrganizationFactory,
    comprehensive_committee,
)
from tests.orgs.factories import build_region_tree

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
pytestmark = pytest.mark.django_db


def test_party_organization_create_comprehensive_committee_is_root_of_its_own_tree(regions):
    # given two districts
    other = build_region_tree("330498")
    # when each gets a comprehensive committee
    first = comprehensive_committee(regions.district)
    second = comprehensive_committee(other.district)
    # then each is the root of a separate tree
    assert first.parent is None and second.parent is None
    assert first.tree_id != second.tree_id
    assert first.is_root_node() and second.is_root_node()
    assert check_model(PartyOrganization) == []


def test_party_organization_create_new_committee_does_not_renumber_existing_trees(regions):
    # given a committee named after later alphabetical order
    other = build_region_tree("330498")
    first = party_organization_create(
        name="Zeta 综合党委",
        kind=Kind.COMPREHENSIVE_COMMITTEE,
        region=regions.district,
        actor=SYSTEM,
    )
    # when a committee whose name sorts first is created
    party_organization_create(
        name="Alpha 综合党委", kind=Kind.COMPREHENSIVE_COMMITTEE, region=other.district, actor=SYSTEM
    )
    # then the first keeps its tree id (new trees are appended)
    first.refresh_from_db()
    assert first.tree_id == PartyOrganization.objects.order_by("tree_id").first().tree_id


def test_party_organization_create_records_created_history(regions):
    branch = PartyOrganizationFactory(founded_on=dt.date(2020, 5, 1), approval_document="平社党〔2020〕3号")
    change = branch.changes.get()
    assert change.action == PartyOrganizationChange.Action.CREATED
    assert change.on == dt.date(2020, 5, 1)
    assert change.new_parent == comprehensive_committee()
    assert change.document == "平社党〔2020〕3号"


def test_party_organization_create_branch_without_parent_refused(regions):
    with pytest.raises(ValidationError) as exc:
        party_organization_create(
            name="无上级党支部",
            kind=Kind.BRANCH,
            building_mode=Mode.SINGLE,
            region=regions.district,
            actor=SYSTEM,
        )
    assert "parent" in exc.value.message_dict
    assert not PartyOrganization.objects.exists()


def test_party_organization_create_under_branch_refused(regions):
    branch = PartyOrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(parent=branch)
    assert "cannot be placed under" in exc.value.message_dict["parent"][0]


def test_party_organization_create_branch_needs_building_mode(regions):
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(building_mode="")
    assert "building_mode" in exc.value.message_dict


def test_party_organization_create_joint_branch_needs_joint_mode(regions):
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.SINGLE)
    assert "joint mode" in exc.value.message_dict["building_mode"][0]


def test_party_organization_create_region_outside_committee_refused(regions):
    other = build_region_tree("330498")
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(region=other.street_a)
    assert "outside" in exc.value.message_dict["region"][0]


def test_party_organization_create_under_dissolved_parent_refused(regions):
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH)
    party_organization_dissolve(party_organization=general, on=dt.date(2024, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(parent=general)
    assert "dissolved" in exc.value.message_dict["parent"][0]


@pytest.mark.parametrize(
    ("kind", "mode", "years"),
    [
        (Kind.COMMITTEE, Mode.SINGLE, 5),
        (Kind.GENERAL_BRANCH, Mode.SINGLE, 3),
        (Kind.BRANCH, Mode.SINGLE, 3),
        (Kind.JOINT_BRANCH, Mode.JOINT, 3),
    ],
)
def test_party_organization_create_term_defaults_from_setting_by_kind(regions, kind, mode, years):
    po = PartyOrganizationFactory(kind=kind, building_mode=mode, founded_on=dt.date(2020, 3, 15))
    assert po.term_started_on == dt.date(2020, 3, 15)
    assert po.term_years is None
    assert po.election_due_on == dt.date(2020 + years, 3, 15)


def test_party_organization_election_due_follows_setting(regions, settings):
    settings.PARTY_TERM_YEARS = {**settings.PARTY_TERM_YEARS, "branch": 4}
    po = PartyOrganizationFactory(founded_on=dt.date(2020, 3, 15))
    assert po.election_due_on == dt.date(2024, 3, 15)


def test_party_organization_create_explicit_term_years_wins(regions):
    po = PartyOrganizationFactory(founded_on=dt.date(2020, 3, 15), term_years=2)
    assert po.election_due_on == dt.date(2022, 3, 15)


def test_party_organization_create_temporary_branch_has_no_term(regions):
    po = PartyOrganizationFactory(kind=Kind.TEMPORARY_BRANCH, founded_on=dt.date(2024, 3, 1))
    assert po.term_started_on is None
    assert po.election_due_on is None


def test_party_organization_create_temporary_branch_with_term_refused(regions):
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(kind=Kind.TEMPORARY_BRANCH, term_started_on=dt.date(2024, 3, 1))
    assert "no term" in exc.value.message_dict["term_started_on"][0]


def test_party_organization_create_future_founding_refused(regions):
    with pytest.raises(ValidationError) as exc:
        PartyOrganizationFactory(founded_on=dt.date(2999, 1, 1))
    assert "founded_on" in exc.value.message_dict


def test_can_recruit_temporary_branch_false(regions):
    temporary = PartyOrganizationFactory(kind=Kind.TEMPORARY_BRANCH)
    branch = PartyOrganizationFactory()
    assert can_recruit(temporary) is False
    assert "temporary" in (recruitment_refusal(temporary) or "")
    assert can_recruit(branch) is True


def test_can_recruit_dissolved_branch_false(regions):
    branch = PartyOrganizationFactory()
    dissolved = party_organization_dissolve(party_organization=branch, on=dt.date(2024, 1, 1), actor=SYSTEM)
    assert can_recruit(dissolved) is False


def test_party_organization_update_records_changed_fields(regions):
    po = PartyOrganizationFactory(name="甲党支部")
    party_organization_update(party_organization=po, name="乙党支部", has_committee=True, actor=SYSTEM)
    po.refresh_from_db()
    assert po.name == "乙党支部" and po.has_committee
    change = po.changes.get(action=PartyOrganizationChange.Action.UPDATED)
    assert change.details == {"name": ["甲党支部", "乙党支部"], "has_committee": [False, True]}


def test_party_organization_update_rename_keeps_tree_consistent(regions):
    a = PartyOrganizationFactory(name="A 党支部")
    PartyOrganizationFactory(name="B 党支部")
    party_organization_update(party_organization=a, name="C 党支部", actor=SYSTEM)
    assert check_model(PartyOrganization) == []
    names = list(comprehensive_committee().get_children().values_list("name", flat=True))
    assert names == ["B 党支部", "C 党支部"]


def test_party_organization_update_kind_to_branch_with_children_refused(regions):
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH)
    PartyOrganizationFactory(parent=general)
    with pytest.raises(ValidationError) as exc:
        party_organization_update(party_organization=general, kind=Kind.BRANCH, actor=SYSTEM)
    assert "kind" in exc.value.message_dict


def test_party_organization_update_single_mode_with_many_links_refused(regions):
    joint = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, building_mode=Mode.JOINT)
    CoverageLinkFactory(party_organization=joint)
    CoverageLinkFactory(party_organization=joint)
    with pytest.raises(ValidationError) as exc:
        party_organization_update(party_organization=joint, building_mode=Mode.SINGLE, actor=SYSTEM)
    assert "covers 2" in exc.value.message_dict["building_mode"][0]


def test_party_organization_update_unknown_field_is_a_programming_error(regions):
    po = PartyOrganizationFactory()
    with pytest.raises(TypeError):
        party_organization_update(party_organization=po, status="dissolved", actor=SYSTEM)


def test_party_organization_renew_term_moves_election_date(regions):
    po = PartyOrganizationFactory(founded_on=dt.date(2019, 1, 1))
    party_organization_renew_term(party_organization=po, on=dt.date(2022, 1, 5), actor=SYSTEM)
    po.refresh_from_db()
    assert po.election_due_on == dt.date(2025, 1, 5)
    assert po.changes.filter(details__election=True).exists()


def test_party_organization_move_records_old_and_new_parent(regions):
    # given a branch under the committee and a general branch beside it
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="总支")
    branch = PartyOrganizationFactory(name="支部")
    committee = comprehensive_committee()
    # when the branch moves under the general branch
    moved = party_organization_move(
        party_organization=branch, new_parent=general, on=dt.date(2024, 6, 1), actor=SYSTEM
    )
    # then the tree says so and the history keeps where it was
    assert moved.parent == general
    assert moved.level == 2
    change = moved.changes.get(action=PartyOrganizationChange.Action.MOVED)
    assert (change.old_parent, change.new_parent, change.on) == (committee, general, dt.date(2024, 6, 1))
    assert check_model(PartyOrganization) == []


def test_party_organization_move_under_own_descendant_refused(regions):
    general = PartyOrganizationFactory(kind=Kind.COMMITTEE)
    inner = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, parent=general)
    with pytest.raises(ValidationError) as exc:
        party_organization_move(
            party_organization=general, new_parent=inner, on=dt.date(2024, 6, 1), actor=SYSTEM
        )
    assert "under it" in exc.value.message_dict["parent"][0]
    assert check_model(PartyOrganization) == []


def test_party_organization_move_comprehensive_committee_refused(regions):
    committee = comprehensive_committee()
    other = comprehensive_committee(build_region_tree("330498").district)
    with pytest.raises(ValidationError):
        party_organization_move(
            party_organization=committee, new_parent=other, on=dt.date(2024, 6, 1), actor=SYSTEM
        )


def test_party_organization_move_across_trees_needs_region_inside_new_tree(regions):
    # given a branch of district 330499 and the committee of district 330498
    other_tree = build_region_tree("330498")
    other_committee = comprehensive_committee(other_tree.district)
    branch = PartyOrganizationFactory(region=regions.street_a)
    # when it moves without a new region: refused, nothing moved
    with pytest.raises(ValidationError) as exc:
        party_organization_move(
            party_organization=branch, new_parent=other_committee, on=dt.date(2024, 6, 1), actor=SYSTEM
        )
    assert "region" in exc.value.message_dict
    branch.refresh_from_db()
    assert branch.parent == comprehensive_committee(regions.district)
    # when it moves with a region of the new district: done, both trees consistent
    moved = party_organization_move(
        party_organization=branch,
        new_parent=other_committee,
        on=dt.date(2024, 6, 1),
        region=other_tree.street_b,
        actor=SYSTEM,
    )
    assert moved.tree_id == other_committee.tree_id
    assert moved.changes.get(action="moved").details == {
        "region": [regions.street_a.pk, other_tree.street_b.pk]
    }
    assert check_model(PartyOrganization) == []


def test_party_organization_dissolve_sets_status_date_and_history(regions):
    po = PartyOrganizationFactory()
    party_organization_dissolve(
        party_organization=po, on=dt.date(2024, 3, 1), document="平社党〔2024〕1号", actor=SYSTEM
    )
    po.refresh_from_db()
    assert (po.status, po.dissolved_on) == ("dissolved", dt.date(2024, 3, 1))
    change = po.changes.get(action="dissolved")
    assert change.on == dt.date(2024, 3, 1)
    assert PartyOrganization.objects.filter(pk=po.pk).exists()  # never deleted


def test_party_organization_dissolve_with_active_links_refused_unless_told(regions):
    # given a branch covering one organization
    link = CoverageLinkFactory(since=dt.date(2020, 1, 1))
    po = link.party_organization
    # when dissolved without ending links: refused, nothing written
    with pytest.raises(ValidationError) as exc:
        party_organization_dissolve(party_organization=po, on=dt.date(2024, 3, 1), actor=SYSTEM)
    assert "still covers 1" in exc.value.message_dict["end_links"][0]
    po.refresh_from_db()
    assert po.status == "active"
    # when told to end the links: the link ends on the dissolution date
    party_organization_dissolve(party_organization=po, on=dt.date(2024, 3, 1), end_links=True, actor=SYSTEM)
    link.refresh_from_db()
    assert link.until == dt.date(2024, 3, 1)
    assert po.changes.get(action="dissolved").details["ended_links"] == [link.pk]


def test_party_organization_dissolve_with_active_members_refused(regions):
    member = MemberFactory()
    with pytest.raises(ValidationError) as exc:
        party_organization_dissolve(
            party_organization=member.party_organization, on=dt.date(2024, 3, 1), actor=SYSTEM
        )
    assert "1 members" in exc.value.messages[0]


def test_party_organization_dissolve_with_active_children_refused(regions):
    general = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH)
    PartyOrganizationFactory(parent=general, name="子支部")
    with pytest.raises(ValidationError) as exc:
        party_organization_dissolve(party_organization=general, on=dt.date(2024, 3, 1), actor=SYSTEM)
    assert "子支部" in exc.value.messages[0]


def test_party_organization_dissolve_twice_refused(regions):
    po = PartyOrganizationFactory()
    party_organization_dissolve(party_organization=po, on=dt.date(2024, 3, 1), actor=SYSTEM)
    with pytest.raises(ValidationError):
        party_organization_dissolve(party_organization=po, on=dt.date(2024, 4, 1), actor=SYSTEM)


def test_party_organization_dissolve_before_founding_refused(regions):
    po = PartyOrganizationFactory(founded_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        party_organization_dissolve(party_organization=po, on=dt.date(2019, 1, 1), actor=SYSTEM)
    assert "on" in exc.value.message_dict


def test_party_organization_create_street_staff_outside_scope_refused(
    regions, street_staff, other_street_staff
):
    committee = comprehensive_committee()
    with pytest.raises(ValidationError) as exc:
        party_organization_create(
            name="越界支部",
            kind=Kind.BRANCH,
            building_mode=Mode.SINGLE,
            region=regions.street_b,
            parent=committee,
            actor=street_staff,
        )
    # the committee (district region) is outside street A's scope as well as street B
    assert set(exc.value.message_dict) & {"parent", "region"}


def test_party_organization_create_committee_by_staff_refused(regions, district_staff):
    with pytest.raises(ValidationError) as exc:
        party_organization_create(
            name="综合党委", kind=Kind.COMPREHENSIVE_COMMITTEE, region=regions.district, actor=district_staff
        )
    assert "superuser" in exc.value.message_dict["kind"][0]


def test_party_organization_create_by_secretary_refused(regions, secretary):
    with pytest.raises(ValidationError):
        PartyOrganizationFactory(actor=secretary)


def test_party_organization_create_by_district_staff_allowed(regions, district_staff):
    po = PartyOrganizationFactory(actor=district_staff, region=regions.street_a)
    assert po.changes.get().recorded_by == district_staff


def test_party_organization_update_founding_after_first_link_refused(regions):
    link = CoverageLinkFactory(since=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        party_organization_update(
            party_organization=link.party_organization, founded_on=dt.date(2021, 1, 1), actor=SYSTEM
        )
    assert link.organization.name in exc.value.message_dict["founded_on"][0]
