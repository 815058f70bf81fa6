"""Alliances (dated membership), programs (append-only progress), pairings and grid pairings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliances.models import Alliance, AllianceMembership, GridServiceRecord, Pairing
from alliances.selectors import with_beneficiaries_reached
from alliances.services.alliances import alliance_create, alliance_update, membership_add, membership_end
from alliances.services.pairings import (
    grid_pairing_create,
    grid_service_record,
    pairing_activity_record,
    pairing_create,
)
from alliances.services.programs import program_progress_record
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory, PairingFactory, ProgramFactory
from tests.branches.factories import CoverageLinkFactory, PartyOrganizationFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def org(regions):
    return OrganizationFactory(region=regions.community_a1)


def test_alliance_create_lead_joins_on_founding_day(org):
    alliance = AllianceFactory(lead_organization=org, founded_on=D(2018, 7, 1))
    membership = alliance.memberships.get()
    assert membership.organization == org and membership.joined_on == D(2018, 7, 1)


def test_alliance_create_other_kind_needs_its_name(org):
    with pytest.raises(ValidationError) as caught:
        alliance_create(actor=SYSTEM, name="新联盟", kind="other", lead_organization=org)
    assert "other kind" in str(caught.value)
    alliance = alliance_create(
        actor=SYSTEM, name="新联盟", kind="other", other_kind="文化体育", lead_organization=org
    )
    assert alliance.kind_label == "文化体育"


def test_alliance_create_by_org_contact_refused(org, org_contact):
    with pytest.raises(ValidationError):
        alliance_create(actor=org_contact, name="越权联盟", kind="public_charity", lead_organization=org)


def test_alliance_update_by_other_street_staff_refused(org, other_street_staff):
    alliance = AllianceFactory(lead_organization=org)
    with pytest.raises(ValidationError):
        alliance_update(alliance=alliance, actor=other_street_staff, description="改")


def test_alliance_create_inactive_lead_refused(regions):
    gone = OrganizationFactory(region=regions.community_a1, status="revoked")
    with pytest.raises(ValidationError) as caught:
        alliance_create(actor=SYSTEM, name="失效联盟", kind="public_charity", lead_organization=gone)
    assert "lead_organization" in caught.value.message_dict


def test_membership_add_twice_refused_names_date(org, regions):
    alliance = AllianceFactory()
    membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=org, joined_on=D(2021, 1, 1), actor=SYSTEM)
    assert "2020-01-01" in " ".join(caught.value.message_dict["organization"])


def test_membership_rejoin_after_leaving_allowed_not_before(org):
    alliance = AllianceFactory()
    first = membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    membership_end(membership=first, left_on=D(2022, 6, 30), actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=org, joined_on=D(2022, 1, 1), actor=SYSTEM)
    assert "2022-06-30" in " ".join(caught.value.message_dict["joined_on"])
    again = membership_add(alliance=alliance, organization=org, joined_on=D(2023, 1, 1), actor=SYSTEM)
    assert AllianceMembership.objects.filter(alliance=alliance, organization=org).count() == 2
    assert again.left_on is None


def test_membership_one_current_per_org_enforced_by_database(org):
    alliance = AllianceFactory()
    membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllianceMembership.objects.create(alliance=alliance, organization=org, joined_on=D(2021, 1, 1))


def test_membership_end_before_join_or_in_future_refused(org):
    membership = membership_add(
        alliance=AllianceFactory(), organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError):
        membership_end(membership=membership, left_on=D(2019, 12, 31), actor=SYSTEM)
    with pytest.raises(ValidationError):
        membership_end(
            membership=membership, left_on=timezone.localdate() + dt.timedelta(days=1), actor=SYSTEM
        )


def test_membership_add_org_outside_staff_scope_refused(org, regions, street_staff):
    alliance = AllianceFactory(lead_organization=org)
    outside = OrganizationFactory(region=regions.community_b1)
    with pytest.raises(ValidationError) as caught:
        membership_add(alliance=alliance, organization=outside, joined_on=D(2020, 1, 1), actor=street_staff)
    assert "organization" in caught.value.message_dict


def test_program_progress_sums_to_beneficiaries_reached(org):
    program = ProgramFactory(alliance=AllianceFactory(lead_organization=org))
    program_progress_record(program=program, on=D(2021, 1, 1), beneficiaries_added=120, actor=SYSTEM)
    program_progress_record(program=program, on=D(2022, 1, 1), beneficiaries_added=80, actor=SYSTEM)
    reached = (
        with_beneficiaries_reached(type(program).objects.filter(pk=program.pk)).get().beneficiaries_reached
    )
    assert reached == 200


def test_program_progress_future_or_before_start_refused(org):
    program = ProgramFactory(alliance=AllianceFactory(lead_organization=org), started_on=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        program_progress_record(program=program, on=D(2019, 1, 1), beneficiaries_added=1, actor=SYSTEM)
    with pytest.raises(ValidationError):
        program_progress_record(
            program=program,
            on=timezone.localdate() + dt.timedelta(days=1),
            beneficiaries_added=1,
            actor=SYSTEM,
        )


def test_pairing_both_or_neither_side_refused(org):
    alliance = AllianceFactory()
    common = {
        "partner_name": "医院",
        "partner_kind": "hospital",
        "signed_on": D(2021, 1, 1),
        "our_contribution": "志愿",
        "partner_contribution": "义诊",
    }
    with pytest.raises(ValidationError):
        pairing_create(actor=SYSTEM, organization=org, alliance=alliance, **common)
    with pytest.raises(ValidationError):
        pairing_create(actor=SYSTEM, **common)
    assert pairing_create(actor=SYSTEM, alliance=alliance, **common).alliance == alliance


def test_pairing_one_side_enforced_by_database(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            partner_name="X",
            partner_kind="school",
            signed_on=D(2021, 1, 1),
            our_contribution="a",
            partner_contribution="b",
        )


def test_pairing_activity_outside_agreement_refused(org):
    pairing = PairingFactory(organization=org, signed_on=D(2021, 3, 1), ends_on=D(2022, 3, 1))
    with pytest.raises(ValidationError) as caught:
        pairing_activity_record(pairing=pairing, on=D(2023, 1, 1), title="迟到的活动", actor=SYSTEM)
    assert "2021-03-01" in " ".join(caught.value.message_dict["on"])
    assert pairing_activity_record(pairing=pairing, on=D(2021, 5, 4), title="五四活动", actor=SYSTEM).pk


def test_grid_pairing_needs_community(org, regions):
    with pytest.raises(ValidationError) as caught:
        grid_pairing_create(
            organization=org, community=regions.street_a, grid_name="网格", since=D(2024, 1, 1), actor=SYSTEM
        )
    assert "community" in caught.value.message_dict


def test_grid_service_record_month_stored_as_first_day_and_unique(org, regions):
    grid = grid_pairing_create(
        organization=org,
        community=regions.community_a1,
        grid_name="第1网格",
        since=D(2024, 1, 1),
        actor=SYSTEM,
    )
    record = grid_service_record(grid_pairing=grid, month=D(2024, 3, 17), services_count=9, actor=SYSTEM)
    assert record.month == D(2024, 3, 1)
    with pytest.raises(ValidationError) as caught:
        grid_service_record(grid_pairing=grid, month=D(2024, 3, 2), services_count=1, actor=SYSTEM)
    assert "2024-03" in " ".join(caught.value.message_dict["month"])
    with pytest.raises(IntegrityError), transaction.atomic():
        GridServiceRecord.objects.create(grid_pairing=grid, month=D(2024, 3, 1), services_count=1)


def test_grid_service_record_future_or_before_pairing_refused(org, regions):
    grid = grid_pairing_create(
        organization=org,
        community=regions.community_a1,
        grid_name="第2网格",
        since=D(2024, 5, 10),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError):
        grid_service_record(grid_pairing=grid, month=D(2024, 4, 1), services_count=1, actor=SYSTEM)
    next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError):
        grid_service_record(grid_pairing=grid, month=next_month, services_count=1, actor=SYSTEM)
    assert grid_service_record(grid_pairing=grid, month=D(2024, 5, 1), services_count=1, actor=SYSTEM).pk


def test_grid_service_record_by_other_orgs_contact_refused(org, regions, org_contact):
    org_contact.organization = OrganizationFactory(region=regions.community_a2)
    org_contact.save()
    grid = grid_pairing_create(
        organization=org,
        community=regions.community_a1,
        grid_name="第3网格",
        since=D(2024, 1, 1),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError):
        grid_service_record(grid_pairing=grid, month=D(2024, 2, 1), services_count=1, actor=org_contact)


# --- Scope ---------------------------------------------------------------------------------------


def test_alliance_visible_to_secretary_covering_a_member(org, regions, secretary):
    other = OrganizationFactory(region=regions.community_b1)
    alliance = AllianceFactory(lead_organization=other, name="远方联盟")
    membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    AllianceFactory(name="无关联盟", lead_organization=OrganizationFactory(region=regions.community_b2))
    branch = PartyOrganizationFactory(name="甲党支部")
    CoverageLinkFactory(party_organization=branch, organization=org)
    secretary.party_organization = branch
    secretary.save()
    assert set(Alliance.objects.visible_to(secretary).values_list("name", flat=True)) == {"远方联盟"}


def test_alliance_visible_to_secretary_of_steering_party_org(org, secretary):
    branch = PartyOrganizationFactory(name="联盟党支部")
    AllianceFactory(lead_organization=org, name="被指导联盟", party_organization=branch)
    secretary.party_organization = branch
    secretary.save()
    assert list(Alliance.objects.visible_to(secretary).values_list("name", flat=True)) == ["被指导联盟"]


def test_alliance_former_member_contact_no_longer_sees_it(org, regions, org_contact):
    alliance = AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_b1))
    membership = membership_add(alliance=alliance, organization=org, joined_on=D(2020, 1, 1), actor=SYSTEM)
    org_contact.organization = org
    org_contact.save()
    assert Alliance.objects.visible_to(org_contact).count() == 1
    membership_end(membership=membership, left_on=D(2021, 1, 1), actor=SYSTEM)
    assert Alliance.objects.visible_to(org_contact).count() == 0


def test_grid_pairing_visible_to_staff_of_the_grid_street(regions, street_staff):
    from alliances.models import GridPairing

    outsider = OrganizationFactory(region=regions.community_b1)
    grid = grid_pairing_create(
        organization=outsider,
        community=regions.community_a1,
        grid_name="跨街网格",
        since=D(2024, 1, 1),
        actor=SYSTEM,
    )
    assert list(GridPairing.objects.visible_to(street_staff)) == [grid]
