"""Forms keep what they show (issue 12): every add/change form of a dated record, in the admin and the
portal, saves the end date it displays."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from branches.models import CommitteePost, CoverageLink, InstructorAssignment, PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.instructors import instructor_assign
from branches.services.posts import committee_post_create
from orgs.models import OrganizationStatusChange
from tests.actors import SYSTEM
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
    return PartyOrganizationFactory(
        kind=Kind.JOINT_BRANCH, building_mode=Mode.JOINT, founded_on=D(2015, 1, 1), **kwargs
    )


def shown_inputs(client, url) -> str:
    return client.get(url).content.decode()


# --- admin add forms ---------------------------------------------------------------------------------


def test_admin_instructor_assignment_add_keeps_end_date(regions, admin_client):
    instructor, org = InstructorFactory(), OrganizationFactory()
    url = reverse("admin:branches_instructorassignment_add")
    assert 'name="until"' in shown_inputs(admin_client, url)
    response = admin_client.post(
        url,
        {"instructor": instructor.pk, "organization": org.pk, "since": "2021-01-01", "until": "2024-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row = InstructorAssignment.objects.get(instructor=instructor)
    assert (row.since, row.until) == (D(2021, 1, 1), D(2024, 1, 1))


def test_admin_committee_post_add_keeps_end_date(regions, admin_client):
    member = MemberFactory()
    url = reverse("admin:branches_committeepost_add")
    assert 'name="until"' in shown_inputs(admin_client, url)
    response = admin_client.post(
        url,
        {
            "party_organization": member.party_organization.pk,
            "member": member.pk,
            "post": "secretary",
            "since": "2020-01-01",
            "until": "2023-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row = CommitteePost.objects.get(member=member)
    assert (row.since, row.until) == (D(2020, 1, 1), D(2023, 1, 1))


def test_admin_coverage_link_add_keeps_end_date(regions, admin_client):
    po, org = joint_branch(), OrganizationFactory()
    url = reverse("admin:branches_coveragelink_add")
    assert 'name="until"' in shown_inputs(admin_client, url)
    response = admin_client.post(
        url,
        {
            "party_organization": po.pk,
            "organization": org.pk,
            "since": "2017-01-01",
            "until": "2019-01-01",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row = CoverageLink.objects.get(organization=org)
    assert (row.since, row.until) == (D(2017, 1, 1), D(2019, 1, 1))


def test_admin_coverage_link_add_switch_with_end_date_refused_on_field(regions, admin_client):
    po, org = joint_branch(), OrganizationFactory()
    response = admin_client.post(
        reverse("admin:branches_coveragelink_add"),
        {
            "party_organization": po.pk,
            "organization": org.pk,
            "since": "2017-01-01",
            "until": "2019-01-01",
            "switch": "on",
        },
    )
    assert response.status_code == 200
    assert "until" in response.context["adminform"].form.errors
    assert not CoverageLink.objects.filter(organization=org).exists()


def test_admin_status_change_add_keeps_reinstatement(regions, admin_client):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    url = reverse("admin:orgs_organizationstatuschange_add")
    assert 'name="reinstated_on"' in shown_inputs(admin_client, url)
    response = admin_client.post(
        url,
        {
            "organization": org.pk,
            "kind": "deregistered",
            "on": "2020-09-01",
            "reinstated_on": "2021-03-01",
            "document": "示民〔2020〕9号",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    rows = list(org.status_changes.order_by("on").values_list("kind", "on", "until", "document"))
    assert rows == [
        ("registered", D(2016, 5, 1), D(2020, 9, 1), ""),
        ("deregistered", D(2020, 9, 1), D(2021, 3, 1), "示民〔2020〕9号"),
        ("reinstated", D(2021, 3, 1), None, ""),
    ]


def test_admin_status_change_add_cutting_a_link_refused_naming_it(regions, admin_client):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    link = coverage_link_create(
        party_organization=joint_branch(), organization=org, since=D(2018, 1, 1), actor=SYSTEM
    )
    response = admin_client.post(
        reverse("admin:orgs_organizationstatuschange_add"),
        {"organization": org.pk, "kind": "revoked", "on": "2020-01-01", "document": "", "note": ""},
    )
    assert response.status_code == 200
    assert f"link no. {link.pk}" in str(response.context["adminform"].form.errors["on"])
    assert org.status_changes.count() == 1


# --- admin change forms ----------------------------------------------------------------------------


def test_admin_coverage_link_change_corrects_dates_with_audit_entry(regions, admin_client):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    link = coverage_link_create(
        party_organization=joint_branch(),
        organization=org,
        since=D(2017, 1, 1),
        until=D(2019, 1, 1),
        actor=SYSTEM,
    )
    response = admin_client.post(
        reverse("admin:branches_coveragelink_change", args=[link.pk]),
        {"since": "2017-03-01", "until": "2019-06-01", "note": "核对档案"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    link.refresh_from_db()
    assert (link.since, link.until, link.note) == (D(2017, 3, 1), D(2019, 6, 1), "核对档案")
    assert LogEntry.objects.get_for_object(link).filter(action=LogEntry.Action.UPDATE).exists()


def test_admin_instructor_assignment_change_keeps_end_date(regions, admin_client):
    assignment = instructor_assign(
        instructor=InstructorFactory(),
        organization=OrganizationFactory(),
        since=D(2021, 1, 1),
        actor=SYSTEM,
    )
    response = admin_client.post(
        reverse("admin:branches_instructorassignment_change", args=[assignment.pk]),
        {"since": "2021-01-01", "until": "2023-05-01"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assignment.refresh_from_db()
    assert assignment.until == D(2023, 5, 1)


def test_admin_committee_post_change_keeps_end_date(regions, admin_client):
    member = MemberFactory()
    post = committee_post_create(
        party_organization=member.party_organization,
        member=member,
        post="secretary",
        since=D(2020, 1, 1),
        actor=SYSTEM,
    )
    # the change form shows the holder, the post and both dates (all correctable): posted as shown
    response = admin_client.post(
        reverse("admin:branches_committeepost_change", args=[post.pk]),
        {"member": member.pk, "post": "secretary", "since": "2020-01-01", "until": "2023-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    post.refresh_from_db()
    assert post.until == D(2023, 1, 1)


def test_admin_status_change_change_and_delete(regions, admin_client):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    admin_client.post(
        reverse("admin:orgs_organizationstatuschange_add"),
        {"organization": org.pk, "kind": "revoked", "on": "2022-01-01", "document": "", "note": ""},
    )
    row = org.status_changes.get(kind="revoked")
    response = admin_client.post(
        reverse("admin:orgs_organizationstatuschange_change", args=[row.pk]),
        {"kind": "deregistered", "on": "2022-02-01", "document": "更正", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row.refresh_from_db()
    assert (row.kind, row.on, row.document) == ("deregistered", D(2022, 2, 1), "更正")
    org.refresh_from_db()
    assert (org.status, org.status_changed_on) == ("deregistered", D(2022, 2, 1))
    response = admin_client.post(
        reverse("admin:orgs_organizationstatuschange_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not OrganizationStatusChange.objects.filter(pk=row.pk).exists()
    org.refresh_from_db()
    assert org.status == "active"


def test_admin_status_change_pages_scoped(regions, street_staff, other_street_staff):
    org = OrganizationFactory(registered_on=D(2016, 5, 1), region=regions.community_a1)
    row = org.status_changes.get()
    url = reverse("admin:orgs_organizationstatuschange_change", args=[row.pk])
    own, other = Client(), Client()
    own.force_login(street_staff)
    other.force_login(other_street_staff)
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


# --- portal ----------------------------------------------------------------------------------------


def test_portal_post_add_keeps_end_date(regions, secretary):
    po = joint_branch()
    secretary.party_organization = po
    secretary.save()
    member = MemberFactory(party_organization=po)
    client = Client()
    client.force_login(secretary)
    url = reverse("branches_portal:post_add", args=[po.pk])
    assert 'name="until"' in client.get(reverse("branches_portal:detail", args=[po.pk])).content.decode()
    response = client.post(
        url, {"member": member.pk, "post": "propaganda", "since": "2020-01-01", "until": "2022-01-01"}
    )
    assert response.status_code == 302
    row = CommitteePost.objects.get(member=member)
    assert (row.since, row.until) == (D(2020, 1, 1), D(2022, 1, 1))


def test_admin_organization_change_page_lists_status_history(regions, admin_client):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    row = org.status_changes.get()
    page = admin_client.get(reverse("admin:orgs_organization_change", args=[org.pk])).content.decode()
    assert reverse("admin:orgs_organizationstatuschange_change", args=[row.pk]) in page
    assert "Record a status change" in page
