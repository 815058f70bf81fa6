"""The dated status history and the period checks of the dated records that depend on it."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from branches.models import CommitteePost, PartyOrganization
from branches.services.coverage import coverage_link_correct, coverage_link_create
from branches.services.instructors import instructor_assign
from branches.services.party_organizations import party_organization_dissolve
from branches.services.posts import committee_post_create
from orgs.models import Organization, OrganizationStatusChange
from orgs.services.organizations import organization_set_status, organization_update
from orgs.services.status_history import (
    organization_status_correct,
    organization_status_record,
    organization_status_remove,
    status_history_seed,
)
from tests.branches.factories import (
    InstructorFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
)

D = dt.date
Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
pytestmark = pytest.mark.django_db


def joint_branch(**kwargs):
    kwargs.setdefault("founded_on", D(2015, 1, 1))
    return PartyOrganizationFactory(kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT, **kwargs)


def kinds(org):
    return [(row.kind, row.on, row.until) for row in org.status_changes.order_by("on")]


# --- the history itself ----------------------------------------------------------------------------


def test_organization_create_starts_history_with_registration(regions):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    assert kinds(org) == [("registered", D(2016, 5, 1), None)]


def test_organization_status_record_any_order_chains_periods_and_mirrors_columns(regions, superuser):
    # given an organization registered in 2016
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    # when the latest change arrives first, then the earlier deregistration with its reinstatement
    organization_status_record(organization=org, kind="revoked", on=D(2023, 4, 1), actor=superuser)
    organization_status_record(
        organization=org, kind="deregistered", on=D(2020, 9, 1), reinstated_on=D(2021, 3, 1), actor=superuser
    )
    # then the rows form consecutive periods and the columns mirror the latest one
    assert kinds(org) == [
        ("registered", D(2016, 5, 1), D(2020, 9, 1)),
        ("deregistered", D(2020, 9, 1), D(2021, 3, 1)),
        ("reinstated", D(2021, 3, 1), D(2023, 4, 1)),
        ("revoked", D(2023, 4, 1), None),
    ]
    org.refresh_from_db()
    assert (org.status, org.status_changed_on) == ("revoked", D(2023, 4, 1))


def test_organization_active_on_reads_history_in_sql(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_status_record(
        organization=org, kind="deregistered", on=D(2020, 9, 1), reinstated_on=D(2021, 3, 1), actor=superuser
    )
    active = Organization.objects.filter(pk=org.pk)
    assert [active.active_on(day).exists() for day in (D(2016, 4, 30), D(2016, 5, 1), D(2020, 9, 1))] == [
        False,
        True,
        False,
    ]
    assert active.active_on(D(2021, 3, 1)).exists()


def test_organization_status_record_second_registration_names_first(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    first = org.status_changes.get()
    with pytest.raises(ValidationError) as exc:
        organization_status_record(organization=org, kind="registered", on=D(2018, 1, 1), actor=superuser)
    message = exc.value.message_dict["kind"][0]
    assert f"no. {first.pk}" in message and "2016-05-01" in message


def test_organization_status_record_same_day_names_row(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    row = organization_status_record(organization=org, kind="deregistered", on=D(2020, 9, 1), actor=superuser)
    with pytest.raises(ValidationError) as exc:
        organization_status_record(organization=org, kind="revoked", on=D(2020, 9, 1), actor=superuser)
    assert f"no. {row.pk}" in exc.value.message_dict["on"][0]


def test_organization_status_record_before_registration_names_it(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    registration = org.status_changes.get()
    with pytest.raises(ValidationError) as exc:
        organization_status_record(organization=org, kind="revoked", on=D(2015, 1, 1), actor=superuser)
    assert f"no. {registration.pk}" in exc.value.message_dict["on"][0]


def test_organization_status_record_future_and_ancient_dates_refused(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    for day in (D(2999, 1, 1), D(1900, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            organization_status_record(organization=org, kind="revoked", on=day, actor=superuser)
        assert "on" in exc.value.message_dict
    assert org.status_changes.count() == 1


def test_organization_status_record_cutting_a_link_names_both_rows(regions, superuser):
    # given an open link since 2021
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    link = coverage_link_create(
        party_organization=joint_branch(name="甲联合党支部"),
        organization=org,
        since=D(2021, 1, 1),
        actor=superuser,
    )
    # when a deregistration in 2022 is recorded
    with pytest.raises(ValidationError) as exc:
        organization_status_record(organization=org, kind="deregistered", on=D(2022, 1, 1), actor=superuser)
    # then refused, naming the link and the new row; nothing written
    message = exc.value.message_dict["on"][0]
    assert f"link no. {link.pk}" in message and "甲联合党支部" in message and "2022-01-01" in message
    assert org.status_changes.count() == 1


def test_organization_set_status_keeps_its_field_names(regions, street_staff):
    org = OrganizationFactory(registered_on=D(2016, 5, 1), region=regions.community_a1)
    with pytest.raises(ValidationError) as exc:
        organization_set_status(organization=org, status="revoked", on=D(2999, 1, 1), actor=street_staff)
    assert "status_changed_on" in exc.value.message_dict
    organization_set_status(organization=org, status="revoked", on=D(2024, 1, 1), actor=street_staff)
    organization_set_status(organization=org, status="active", on=D(2024, 6, 1), actor=street_staff)
    assert [k for k, _on, _until in kinds(org)] == ["registered", "revoked", "reinstated"]


def test_organization_status_correct_writes_audit_entry(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    row = organization_status_record(organization=org, kind="revoked", on=D(2023, 4, 1), actor=superuser)
    organization_status_correct(change=row, on=D(2023, 5, 1), actor=superuser)
    row.refresh_from_db()
    assert row.on == D(2023, 5, 1)
    entry = LogEntry.objects.get_for_object(row).filter(action=LogEntry.Action.UPDATE).get()
    assert "2023-05-01" in str(entry.changes)
    org.refresh_from_db()
    assert org.status_changed_on == D(2023, 5, 1)


def test_organization_status_remove_audited_and_refused_when_a_link_depends(regions, superuser):
    # given a deregistration undone by a reinstatement, and a link of the later period
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_status_record(
        organization=org, kind="deregistered", on=D(2020, 9, 1), reinstated_on=D(2021, 3, 1), actor=superuser
    )
    coverage_link_create(
        party_organization=joint_branch(), organization=org, since=D(2021, 3, 1), actor=superuser
    )
    reinstatement = org.status_changes.get(kind="reinstated")
    deregistration = org.status_changes.get(kind="deregistered")
    # when the reinstatement is removed: refused, the link would fall in the deregistered period
    with pytest.raises(ValidationError) as exc:
        organization_status_remove(change=reinstatement, actor=superuser)
    assert f"no. {deregistration.pk}" in exc.value.messages[0]
    # when the deregistration (entered by mistake) is removed instead: done, audited
    organization_status_remove(change=deregistration, actor=superuser)
    assert not OrganizationStatusChange.objects.filter(pk=deregistration.pk).exists()
    assert LogEntry.objects.filter(object_pk=str(deregistration.pk), action=LogEntry.Action.DELETE).exists()


def test_organization_status_record_out_of_scope_refused(regions, other_street_staff):
    org = OrganizationFactory(registered_on=D(2016, 5, 1), region=regions.community_a1)
    with pytest.raises(ValidationError):
        organization_status_record(
            organization=org, kind="revoked", on=D(2023, 1, 1), actor=other_street_staff
        )
    assert org.status_changes.count() == 1


def test_organization_update_registration_date_moves_history_row(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_update(organization=org, registered_on=D(2015, 1, 1), actor=superuser)
    assert kinds(org) == [("registered", D(2015, 1, 1), None)]


def test_organization_update_registration_after_a_link_refused_naming_it(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    link = coverage_link_create(
        party_organization=joint_branch(), organization=org, since=D(2020, 1, 1), actor=superuser
    )
    with pytest.raises(ValidationError) as exc:
        organization_update(organization=org, registered_on=D(2021, 1, 1), actor=superuser)
    assert f"link no. {link.pk}" in exc.value.message_dict["registered_on"][0]
    org.refresh_from_db()
    assert org.registered_on == D(2016, 5, 1)


def test_status_history_seed_for_bulk_written_organizations(regions):
    # given organizations written by a bulk path, without history
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    OrganizationStatusChange.objects.all().delete()
    Organization.objects.filter(pk=org.pk).update(status="deregistered", status_changed_on=D(2022, 1, 1))
    # when seeded
    status_history_seed()
    # then registration and deregistration, chained; seeding again adds nothing
    assert kinds(org) == [("registered", D(2016, 5, 1), D(2022, 1, 1)), ("deregistered", D(2022, 1, 1), None)]
    assert status_history_seed() == 0


def test_status_history_seed_after_an_id_seeds_only_the_newer_organizations(regions):
    # given two organizations written by a bulk path, without history, both deregistered
    older = OrganizationFactory(registered_on=D(2015, 3, 1))
    newer = OrganizationFactory(registered_on=D(2016, 5, 1))
    OrganizationStatusChange.objects.all().delete()
    Organization.objects.update(status="deregistered", status_changed_on=D(2022, 1, 1))
    # when seeded after the older one's id (the registry import: the rows it created)
    assert status_history_seed(after_id=older.pk) == 2
    # then only the newer one has its history, chained; the older one is left to a later seed
    assert kinds(newer) == [
        ("registered", D(2016, 5, 1), D(2022, 1, 1)),
        ("deregistered", D(2022, 1, 1), None),
    ]
    assert kinds(older) == []
    assert status_history_seed(after_id=older.pk) == 0
    assert status_history_seed() == 2
    # and: active organizations after the id get their registration row (no relink needed)
    active = OrganizationFactory(registered_on=D(2018, 1, 1))
    OrganizationStatusChange.objects.filter(organization=active).delete()
    assert status_history_seed(after_id=newer.pk) == 1
    assert kinds(active) == [("registered", D(2018, 1, 1), None)]


# --- dated records against the periods --------------------------------------------------------------


def test_coverage_link_create_back_dated_before_deregistration_allowed(regions, superuser):
    # given an organization deregistered today's way (current state loaded first)
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_status_record(organization=org, kind="deregistered", on=D(2022, 1, 1), actor=superuser)
    # when its past link is entered afterwards
    link = coverage_link_create(
        party_organization=joint_branch(),
        organization=org,
        since=D(2017, 1, 1),
        until=D(2022, 1, 1),
        actor=superuser,
    )
    # then accepted
    assert (link.since, link.until) == (D(2017, 1, 1), D(2022, 1, 1))


def test_coverage_link_create_in_inactive_period_names_status_row(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    row = organization_status_record(organization=org, kind="deregistered", on=D(2022, 1, 1), actor=superuser)
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=joint_branch(),
            organization=org,
            since=D(2021, 1, 1),
            until=D(2023, 1, 1),
            actor=superuser,
        )
    assert f"status change no. {row.pk}" in exc.value.message_dict["organization"][0]


def test_coverage_link_create_before_registration_names_it(regions, superuser):
    org = OrganizationFactory(registered_on=D(2019, 5, 1))
    registration = org.status_changes.get()
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=joint_branch(),
            organization=org,
            since=D(2019, 1, 1),
            until=D(2020, 1, 1),
            actor=superuser,
        )
    assert f"status change no. {registration.pk}" in exc.value.message_dict["organization"][0]


def test_coverage_link_create_overlap_names_both_rows(regions, superuser):
    # given a past link 2018–2020
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    old = coverage_link_create(
        party_organization=joint_branch(name="甲联合党支部"),
        organization=org,
        since=D(2018, 1, 1),
        until=D(2020, 1, 1),
        actor=superuser,
    )
    # when an overlapping one (2019–2021) is entered
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=joint_branch(),
            organization=org,
            since=D(2019, 1, 1),
            until=D(2021, 1, 1),
            actor=superuser,
        )
    # then the message names the existing row and the new period
    message = exc.value.message_dict["since"][0]
    assert (
        f"link no. {old.pk}" in message and "甲联合党支部" in message and "2019-01-01 – 2021-01-01" in message
    )


def test_coverage_link_create_earlier_period_after_current_allowed(regions, superuser):
    # current state first: the open link, then the earlier closed one
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    coverage_link_create(
        party_organization=joint_branch(), organization=org, since=D(2020, 1, 1), actor=superuser
    )
    earlier = coverage_link_create(
        party_organization=joint_branch(),
        organization=org,
        since=D(2017, 1, 1),
        until=D(2020, 1, 1),
        actor=superuser,
    )
    assert earlier.until == D(2020, 1, 1)


def test_coverage_link_create_dissolved_branch_past_period_allowed_later_refused(regions, superuser):
    po = joint_branch(founded_on=D(2016, 1, 1))
    party_organization_dissolve(party_organization=po, on=D(2022, 6, 30), actor=superuser)
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    coverage_link_create(
        party_organization=po, organization=org, since=D(2017, 1, 1), until=D(2022, 6, 30), actor=superuser
    )
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=po,
            organization=OrganizationFactory(),
            since=D(2021, 1, 1),
            until=D(2023, 1, 1),
            actor=superuser,
        )
    assert "2022-06-30" in exc.value.message_dict["until"][0]


def test_coverage_link_single_mode_overlap_names_other_link(regions, superuser):
    po = PartyOrganizationFactory(name="丙单独党支部")
    first = coverage_link_create(
        party_organization=po,
        organization=OrganizationFactory(),
        since=D(2019, 1, 1),
        until=D(2021, 1, 1),
        actor=superuser,
    )
    with pytest.raises(ValidationError) as exc:
        coverage_link_create(
            party_organization=po,
            organization=OrganizationFactory(),
            since=D(2020, 1, 1),
            until=D(2020, 6, 1),
            actor=superuser,
        )
    assert f"link no. {first.pk}" in exc.value.message_dict["party_organization"][0]
    # a later period of the same single branch with another organization is fine
    coverage_link_create(
        party_organization=po, organization=OrganizationFactory(), since=D(2021, 1, 1), actor=superuser
    )


def test_coverage_link_correct_overlap_refused_and_audited_when_done(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    a = coverage_link_create(
        party_organization=joint_branch(),
        organization=org,
        since=D(2017, 1, 1),
        until=D(2019, 1, 1),
        actor=superuser,
    )
    b = coverage_link_create(
        party_organization=joint_branch(), organization=org, since=D(2019, 1, 1), actor=superuser
    )
    with pytest.raises(ValidationError) as exc:
        coverage_link_correct(link=a, since=D(2017, 1, 1), until=D(2020, 1, 1), actor=superuser)
    assert f"link no. {b.pk}" in exc.value.message_dict["since"][0]
    coverage_link_correct(link=a, since=D(2017, 6, 1), until=D(2019, 1, 1), actor=superuser)
    assert LogEntry.objects.get_for_object(a).filter(action=LogEntry.Action.UPDATE).exists()


def test_party_organization_dissolve_before_closed_link_end_names_link(regions, superuser):
    po = joint_branch(founded_on=D(2016, 1, 1))
    link = coverage_link_create(
        party_organization=po,
        organization=OrganizationFactory(),
        since=D(2017, 1, 1),
        until=D(2023, 1, 1),
        actor=superuser,
    )
    with pytest.raises(ValidationError) as exc:
        party_organization_dissolve(party_organization=po, on=D(2022, 1, 1), actor=superuser)
    assert f"link no. {link.pk}" in exc.value.message_dict["on"][0]


def test_instructor_assign_back_dated_for_deregistered_org_and_overlap_named(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_status_record(organization=org, kind="deregistered", on=D(2022, 1, 1), actor=superuser)
    instructor = InstructorFactory(name="李指导")
    first = instructor_assign(
        instructor=instructor, organization=org, since=D(2018, 1, 1), until=D(2020, 1, 1), actor=superuser
    )
    with pytest.raises(ValidationError) as exc:
        instructor_assign(
            instructor=instructor, organization=org, since=D(2019, 1, 1), until=D(2021, 1, 1), actor=superuser
        )
    assert f"assignment no. {first.pk}" in exc.value.message_dict["since"][0]
    with pytest.raises(ValidationError) as exc:
        instructor_assign(instructor=instructor, organization=org, since=D(2021, 1, 1), actor=superuser)
    assert "organization" in exc.value.message_dict


def test_committee_post_create_past_post_of_dissolved_branch_allowed_overlap_named(regions, superuser):
    member = MemberFactory(full_on=D(2012, 7, 1))
    po = member.party_organization
    first = committee_post_create(
        party_organization=po,
        member=member,
        post="secretary",
        since=D(2019, 1, 1),
        until=D(2021, 1, 1),
        actor=superuser,
    )
    other = MemberFactory(party_organization=po)
    with pytest.raises(ValidationError) as exc:
        committee_post_create(
            party_organization=po,
            member=other,
            post="secretary",
            since=D(2020, 1, 1),
            until=D(2022, 1, 1),
            actor=superuser,
        )
    assert f"post no. {first.pk}" in exc.value.message_dict["since"][0]
    assert CommitteePost.objects.filter(party_organization=po).count() == 1
