import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from branches.models import CoverageLink, PartyOrganization
from branches.querysets import active_on_q
from branches.services.coverage import coverage_link_create, coverage_link_end, coverage_link_switch
from branches.services.party_organizations import party_organization_dissolve
from orgs.models import Organization
from tests.actors import SYSTEM
from tests.branches.factories import (
    CoverageLinkFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
    comprehensive_committee,
)

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
D = dt.date


def joint_branch(**kwargs):
    return PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT, **kwargs)


@pytest.mark.django_db
def test_coverage_link_create_single_second_org_refused(regions):
    # given a single-mode branch covering one organization
    first = CoverageLinkFactory()
    po = first.party_organization
    # when a second organization is linked to it
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(party_organization=po)
    # then refused, naming the org it already covers
    message = exc.value.message_dict["party_organization"][0]
    assert "single mode" in message and first.organization.name in message
    assert CoverageLink.objects.filter(party_organization=po).count() == 1


@pytest.mark.django_db
def test_coverage_link_create_joint_covers_several(regions):
    po = joint_branch()
    for _ in range(3):
        CoverageLinkFactory(party_organization=po)
    assert CoverageLink.objects.filter(party_organization=po, until__isnull=True).count() == 3


@pytest.mark.django_db
def test_coverage_link_create_joint_above_limit_allowed(regions, settings):
    # the limit is a warning (branches.rules), never a refusal
    settings.JOINT_BRANCH_MAX_ORGS = 2
    po = joint_branch()
    for _ in range(3):
        CoverageLinkFactory(party_organization=po)
    assert po.coverage_links.count() == 3


@pytest.mark.django_db
def test_coverage_link_create_fallback_covers_any_number(regions):
    po = PartyOrganizationFactory(building_mode=Mode.FALLBACK)
    for _ in range(7):
        CoverageLinkFactory(party_organization=po)
    assert po.coverage_links.count() == 7


@pytest.mark.django_db
def test_coverage_link_create_org_already_covered_refused_with_message(regions):
    # given an organization covered by one joint branch
    link = CoverageLinkFactory(party_organization=joint_branch(name="甲联合党支部"))
    # when another branch tries to cover it
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(party_organization=joint_branch(), organization=link.organization)
    # then a message, not an IntegrityError
    message = exc.value.message_dict["organization"][0]
    assert "甲联合党支部" in message and "one active link" in message


@pytest.mark.django_db
def test_coverage_link_database_refuses_second_active_link(regions):
    # the partial unique index holds even for a writer that skips the services
    link = CoverageLinkFactory()
    other = joint_branch()
    with pytest.raises(IntegrityError), transaction.atomic():
        CoverageLink.objects.create(
            party_organization=other, organization=link.organization, since=D(2021, 1, 1)
        )


@pytest.mark.django_db
def test_coverage_link_create_overlapping_past_link_refused(regions):
    link = CoverageLinkFactory(since=D(2020, 1, 1))
    coverage_link_end(link=link, until=D(2022, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(organization=link.organization, since=D(2021, 6, 1))
    assert "2022-01-01" in exc.value.message_dict["since"][0]


@pytest.mark.django_db
def test_coverage_link_create_dissolved_po_refused(regions):
    po = joint_branch()
    party_organization_dissolve(party_organization=po, on=D(2023, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(party_organization=po)
    assert "dissolved" in exc.value.message_dict["party_organization"][0]


@pytest.mark.django_db
def test_coverage_link_create_comprehensive_committee_refused(regions):
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(party_organization=comprehensive_committee())
    assert "party_organization" in exc.value.message_dict


@pytest.mark.django_db
def test_coverage_link_create_inactive_org_refused(regions):
    org = OrganizationFactory(status=Organization.Status.REVOKED, status_changed_on=D(2022, 1, 1))
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(organization=org)
    assert "organization" in exc.value.message_dict


@pytest.mark.django_db
def test_coverage_link_create_before_founding_refused(regions):
    po = joint_branch(founded_on=D(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        CoverageLinkFactory(party_organization=po, since=D(2020, 1, 1))
    assert "since" in exc.value.message_dict


@pytest.mark.django_db
def test_coverage_link_create_street_staff_outside_scope_refused(regions, street_staff):
    po = joint_branch(region=regions.street_a)
    org_b = OrganizationFactory(region=regions.community_b1)
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=po, organization=org_b, since=D(2021, 1, 1), actor=street_staff
        )
    assert "organization" in exc.value.message_dict
    org_a = OrganizationFactory(region=regions.community_a1)
    assert coverage_link_create(
        party_organization=po, organization=org_a, since=D(2021, 1, 1), actor=street_staff
    )


@pytest.mark.django_db
def test_coverage_link_end_before_start_refused(regions):
    link = CoverageLinkFactory(since=D(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        coverage_link_end(link=link, until=D(2020, 1, 1), actor=SYSTEM)
    assert "after the start date" in exc.value.message_dict["until"][0]


@pytest.mark.django_db
def test_coverage_link_end_twice_refused(regions):
    link = CoverageLinkFactory(since=D(2020, 1, 1))
    coverage_link_end(link=link, until=D(2021, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError):
        coverage_link_end(link=link, until=D(2022, 1, 1), actor=SYSTEM)


@pytest.mark.django_db
def test_coverage_link_switch_joint_to_single_same_day(regions):
    # given an org covered by a joint branch since 2020
    old = CoverageLinkFactory(party_organization=joint_branch(), since=D(2020, 1, 1))
    single = PartyOrganizationFactory(founded_on=D(2023, 5, 1))
    # when it builds its own branch and switches on 2023-05-01
    new = coverage_link_switch(
        organization=old.organization, party_organization=single, on=D(2023, 5, 1), actor=SYSTEM
    )
    # then the old link ends and the new one starts on the same day
    old.refresh_from_db()
    assert old.until == D(2023, 5, 1) == new.since
    assert new.until is None
    assert _links_on(D(2023, 4, 30))[old.organization_id] == old
    assert _links_on(D(2023, 5, 1))[old.organization_id] == new


@pytest.mark.django_db
def test_coverage_link_switch_refused_leaves_old_link_open(regions):
    # given an org covered jointly and a single branch already covering another org
    old = CoverageLinkFactory(party_organization=joint_branch(), since=D(2020, 1, 1))
    busy_single = CoverageLinkFactory(since=D(2020, 1, 1)).party_organization
    # when the switch to it is refused
    with pytest.raises(ValidationError):
        coverage_link_switch(
            organization=old.organization, party_organization=busy_single, on=D(2023, 5, 1), actor=SYSTEM
        )
    # then nothing changed: the old link is still open (one transaction)
    old.refresh_from_db()
    assert old.until is None


@pytest.mark.django_db
def test_coverage_links_reconstruct_several_past_dates(regions):
    # given a history: org1 joint 2019→2021, then single from 2021; org2 fallback from 2020, ended 2022
    joint = joint_branch(founded_on=D(2018, 1, 1))
    single = PartyOrganizationFactory(founded_on=D(2018, 1, 1))
    fallback = PartyOrganizationFactory(building_mode=Mode.FALLBACK, founded_on=D(2018, 1, 1))
    org1, org2, org3 = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    coverage_link_create(party_organization=joint, organization=org1, since=D(2019, 3, 1), actor=SYSTEM)
    coverage_link_switch(organization=org1, party_organization=single, on=D(2021, 7, 1), actor=SYSTEM)
    link2 = coverage_link_create(
        party_organization=fallback, organization=org2, since=D(2020, 1, 1), actor=SYSTEM
    )
    coverage_link_end(link=link2, until=D(2022, 1, 1), actor=SYSTEM)

    def covering(day):
        return {org_id: link.party_organization for org_id, link in _links_on(day).items()}

    # then each date shows what was true then
    assert covering(D(2019, 1, 1)) == {}
    assert covering(D(2019, 3, 1)) == {org1.pk: joint}
    assert covering(D(2020, 6, 1)) == {org1.pk: joint, org2.pk: fallback}
    assert covering(D(2021, 7, 1)) == {org1.pk: single, org2.pk: fallback}
    assert covering(D(2022, 1, 1)) == {org1.pk: single}
    assert {org1.pk, org2.pk, org3.pk} - set(_links_on(D(2022, 1, 1))) == {org2.pk, org3.pk}


def _links_on(day):
    """The link in force on `day` for each organization: the dated rows read back for a past date."""
    return {link.organization_id: link for link in CoverageLink.objects.filter(active_on_q(day))}


def _race(target, args_list):
    """Run `target(*args)` for each args in threads started together; collect results or errors."""
    barrier = threading.Barrier(len(args_list))
    results: list[object] = [None] * len(args_list)

    def run(i, args):
        try:
            barrier.wait()
            results[i] = target(*args)
        except Exception as exc:  # noqa: BLE001  (the test inspects what each writer got)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_coverage_link_create_concurrent_same_org_one_active_link(regions):
    # given one org and two joint branches
    org = OrganizationFactory()
    first, second = joint_branch(), joint_branch()

    def link(po):
        return coverage_link_create(
            party_organization=po, organization=org, since=D(2024, 1, 1), actor=SYSTEM
        )

    # when two writers link it at the same moment
    results = _race(link, [(first,), (second,)])
    # then exactly one link is active and the other writer got a clear message
    assert CoverageLink.objects.filter(organization=org, until__isnull=True).count() == 1
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "organization" in errors[0].message_dict


@pytest.mark.django_db(transaction=True)
def test_coverage_link_create_concurrent_two_orgs_one_single_branch(regions):
    po = PartyOrganizationFactory()
    orgs = [OrganizationFactory(), OrganizationFactory()]

    def link(org):
        return coverage_link_create(
            party_organization=po, organization=org, since=D(2024, 1, 1), actor=SYSTEM
        )

    results = _race(link, [(o,) for o in orgs])
    assert CoverageLink.objects.filter(party_organization=po, until__isnull=True).count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
