"""The write API of the party side and the status history (issue 12): role × view matrix of each new
endpoint, bad input per field kind named in the request's language, idempotent creation by external
id, period refusals naming the conflicting row, constant query counts of the lists."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from branches.models import CoverageLink, InstructorAssignment, PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.instructors import instructor_assign
from branches.services.posts import committee_post_create
from orgs.models import Organization, OrganizationStatusChange
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.branches.factories import (
    InstructorFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
    comprehensive_committee,
)

D = dt.date
API = "/api/v1/"
pytestmark = pytest.mark.django_db
READ = {
    "superuser": 200,
    "district_staff": 200,
    "street_staff": 200,
    "other_street_staff": 404,
    "org_contact": 404,
    "anonymous": 403,
}


@pytest.fixture
def world(regions):
    """In street A: an organization registered in 2016 covered by a joint branch since 2018, an
    instructor assigned to it, a secretary post."""
    po = PartyOrganizationFactory(
        name="甲联合党支部",
        kind="joint_branch",
        building_mode="joint",
        region=regions.street_a,
        founded_on=D(2015, 1, 1),
    )
    org = OrganizationFactory(
        name="阳光社工服务中心", registered_on=D(2016, 5, 1), region=regions.community_a1
    )
    link = coverage_link_create(party_organization=po, organization=org, since=D(2018, 1, 1), actor=SYSTEM)
    instructor = InstructorFactory(region=regions.street_a)
    assignment = instructor_assign(instructor=instructor, organization=org, since=D(2019, 1, 1), actor=SYSTEM)
    member = MemberFactory(party_organization=po)
    post = committee_post_create(
        party_organization=po, member=member, post="secretary", since=D(2020, 1, 1), actor=SYSTEM
    )
    return {
        "po": po,
        "org": org,
        "link": link,
        "instructor": instructor,
        "assignment": assignment,
        "post": post,
        "member": member,
        "status": org.status_changes.get(),
    }


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def post(user, url, data, language="en"):
    return client_for(user, language).post(
        url, json.dumps(data, default=str), content_type="application/json"
    )


# --- role × view matrix ----------------------------------------------------------------------------


def test_write_api_detail_reads_role_matrix(world, role_users):
    for url in (
        f"{API}coverage-links/{world['link'].pk}/",
        f"{API}instructors/{world['instructor'].pk}/",
        f"{API}instructor-assignments/{world['assignment'].pk}/",
        f"{API}organization-status-changes/{world['status'].pk}/",
        f"{API}party-organizations/{world['po'].pk}/history/",
    ):
        assert_role_matrix(role_users, url, READ)
    assert_role_matrix(role_users, f"{API}committee-posts/{world['post'].pk}/", {**READ, "org_contact": 404})


def test_write_api_lists_scoped(world, role_users):
    for name in ("coverage-links", "instructors", "instructor-assignments", "organization-status-changes"):
        own = client_for(role_users["street_staff"]).get(f"{API}{name}/").json()
        other = client_for(role_users["other_street_staff"]).get(f"{API}{name}/").json()
        assert own["count"] >= 1 and other["count"] == 0, name
        assert client_for(None).get(f"{API}{name}/").status_code == 403


def test_write_api_writes_role_matrix(world, role_users):
    """Object writes: in scope done, out of scope 404, non-staff 403, anonymous 403."""
    expected = {"other_street_staff": 404, "secretary": 403, "org_contact": 403, "anonymous": 403}
    for url, data in (
        (f"{API}coverage-links/{world['link'].pk}/end/", {"until": "2024-01-01"}),
        (f"{API}instructor-assignments/{world['assignment'].pk}/end/", {"until": "2024-01-01"}),
        (f"{API}party-organizations/{world['po'].pk}/dissolve/", {"on": "2024-01-01"}),
    ):
        assert_role_matrix(role_users, url, expected, method="post", data=data)
    response = post(
        role_users["street_staff"], f"{API}coverage-links/{world['link'].pk}/end/", {"until": "2024-01-01"}
    )
    assert response.status_code == 200 and response.json()["until"] == "2024-01-01"
    response = post(
        role_users["street_staff"],
        f"{API}instructor-assignments/{world['assignment'].pk}/end/",
        {"until": "2024-02-01"},
    )
    assert response.status_code == 200


def test_write_api_create_out_of_scope_ids_refused_naming_field(world, role_users):
    # other street's staff cannot see the organization or branch: the ids answer as unknown
    response = post(
        role_users["other_street_staff"],
        f"{API}coverage-links/",
        {"party_organization": world["po"].pk, "organization": world["org"].pk, "since": "2017-01-01"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"party_organization", "organization"}
    assert "visible" in response.json()["organization"][0]


def test_write_api_status_change_delete_matrix(world, role_users):
    row = OrganizationStatusChange.objects.create(organization=world["org"], kind="revoked", on=D(2025, 1, 1))
    url = f"{API}organization-status-changes/{row.pk}/"
    assert_role_matrix(
        role_users, url, {"other_street_staff": 404, "secretary": 403, "anonymous": 403}, method="delete"
    )
    assert client_for(role_users["street_staff"]).delete(url).status_code == 204


# --- creation, history, idempotency ---------------------------------------------------------------


def test_write_api_back_dated_history_any_order(world, superuser):
    """Today's state first (a revocation), then the past (a link entirely before it)."""
    org = world["org"]
    response = post(
        superuser,
        f"{API}organization-status-changes/",
        {"organization": org.pk, "kind": "deregistered", "on": "2021-01-01", "reinstated_on": "2021-06-01"},
    )
    assert response.status_code == 400  # the open link since 2018 runs through the deregistered period
    assert f"link no. {world['link'].pk}" in response.json()["on"][0]
    # correct the link to its real period, then record the history
    response = client_for(superuser).patch(
        f"{API}coverage-links/{world['link'].pk}/",
        json.dumps({"since": "2018-01-01", "until": "2021-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    response = post(
        superuser, f"{API}instructor-assignments/{world['assignment'].pk}/end/", {"until": "2021-01-01"}
    )
    assert response.status_code == 200, response.content
    response = post(
        superuser,
        f"{API}organization-status-changes/",
        {"organization": org.pk, "kind": "deregistered", "on": "2021-01-01", "reinstated_on": "2021-06-01"},
    )
    assert response.status_code == 201, response.content
    response = post(
        superuser,
        f"{API}coverage-links/",
        {"party_organization": world["po"].pk, "organization": org.pk, "since": "2021-06-01"},
    )
    assert response.status_code == 201, response.content
    history = client_for(superuser).get(f"{API}coverage-links/", {"organization": org.pk}).json()["results"]
    assert [(row["since"], row["until"]) for row in history] == [
        ("2018-01-01", "2021-01-01"),
        ("2021-06-01", None),
    ]
    kinds = client_for(superuser).get(f"{API}organization-status-changes/", {"organization": org.pk}).json()
    assert [row["kind"] for row in kinds["results"]] == ["registered", "deregistered", "reinstated"]


def test_write_api_external_id_makes_creation_idempotent(world, superuser, regions):
    data = {
        "name": "春晖养老服务中心",
        "kind": "community",
        "registration": "filed",
        "region": regions.community_a1.code,
        "registered_on": "2017-03-01",
        "external_id": "SRC-ORG-1",
    }
    first = post(superuser, f"{API}organizations/", data)
    second = post(superuser, f"{API}organizations/", {**data, "staff_count": 12})
    assert (first.status_code, second.status_code) == (201, 200), second.content
    assert first.json()["id"] == second.json()["id"]
    assert Organization.objects.filter(name="春晖养老服务中心").count() == 1
    assert second.json()["staff_count"] == 12
    org_id = first.json()["id"]
    link = {
        "party_organization": world["po"].pk,
        "organization": org_id,
        "since": "2018-01-01",
        "until": "2020-01-01",
        "external_id": "SRC-LINK-1",
    }
    assert post(superuser, f"{API}coverage-links/", link).status_code == 201
    again = post(superuser, f"{API}coverage-links/", {**link, "until": "2020-06-01"})
    assert again.status_code == 200
    assert list(CoverageLink.objects.filter(organization_id=org_id).values_list("until", flat=True)) == [
        D(2020, 6, 1)
    ]
    po_data = {
        "name": "新建党支部",
        "kind": "branch",
        "building_mode": "single",
        "region": regions.street_a.code,
        "parent": comprehensive_committee().pk,
        "founded_on": "2019-01-01",
        "external_id": "SRC-PO-1",
    }
    assert post(superuser, f"{API}party-organizations/", po_data).status_code == 201
    assert post(superuser, f"{API}party-organizations/", po_data).status_code == 200
    assert PartyOrganization.objects.filter(name="新建党支部").count() == 1
    instructor = {
        "name": "王指导",
        "dispatched_by": "street",
        "dispatching_body": "街道",
        "region": regions.street_a.code,
        "external_id": "I-1",
    }
    assert post(superuser, f"{API}instructors/", instructor).status_code == 201
    assert post(superuser, f"{API}instructors/", instructor).status_code == 200


def test_write_api_external_id_unique_per_district_not_across(world, superuser, regions):
    from tests.orgs.factories import build_region_tree

    other = build_region_tree("330498")
    base = {"kind": "community", "registration": "filed", "external_id": "SAME"}
    a = post(superuser, f"{API}organizations/", {**base, "name": "甲", "region": regions.community_a1.code})
    b = post(superuser, f"{API}organizations/", {**base, "name": "乙", "region": other.community_a1.code})
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_write_api_party_organization_move_and_dissolve_with_history(world, superuser, regions):
    committee = comprehensive_committee()
    general = post(
        superuser,
        f"{API}party-organizations/",
        {
            "name": "总支",
            "kind": "general_branch",
            "building_mode": "single",
            "region": regions.street_a.code,
            "parent": committee.pk,
            "founded_on": "2016-01-01",
        },
    ).json()
    branch = PartyOrganizationFactory(founded_on=D(2019, 1, 1))
    response = post(
        superuser,
        f"{API}party-organizations/{branch.pk}/move/",
        {"parent": general["id"], "on": "2022-01-01"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == general["id"]
    response = post(superuser, f"{API}party-organizations/{branch.pk}/dissolve/", {"on": "2023-01-01"})
    assert response.status_code == 200 and response.json()["dissolved_on"] == "2023-01-01"
    history = client_for(superuser).get(f"{API}party-organizations/{branch.pk}/history/").json()
    assert [row["action"] for row in history] == ["dissolved", "moved", "created"]


def test_write_api_assignment_and_post_back_dated(world, superuser):
    response = post(
        superuser,
        f"{API}instructor-assignments/",
        {
            "instructor": InstructorFactory().pk,
            "organization": world["org"].pk,
            "since": "2017-01-01",
            "until": "2018-01-01",
        },
    )
    assert response.status_code == 201 and response.json()["until"] == "2018-01-01"
    member = MemberFactory(party_organization=world["po"])
    response = post(
        superuser,
        f"{API}committee-posts/",
        {
            "party_organization": world["po"].pk,
            "member": member.pk,
            "post": "secretary",
            "since": "2016-01-01",
            "until": "2019-06-01",
        },
    )
    assert response.status_code == 201, response.content
    response = post(
        superuser,
        f"{API}committee-posts/",
        {
            "party_organization": world["po"].pk,
            "member": member.pk,
            "post": "secretary",
            "since": "2019-01-01",
            "until": "2019-12-01",
        },
    )
    assert response.status_code == 400 and "post no." in response.json()["since"][0]


# --- bad input per field kind, in the request's language -------------------------------------------


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("coverage-links/", {"since": "2020-13-01"}, "since"),  # a date
        ("coverage-links/", {"party_organization": "x"}, "party_organization"),  # a related id
        ("coverage-links/", {"organization": 999999}, "organization"),  # an unknown id
        ("coverage-links/", {"external_id": "x" * 101}, "external_id"),  # a string too long
        ("organization-status-changes/", {"kind": "closed"}, "kind"),  # a choice
        ("party-organizations/", {"term_years": "abc"}, "term_years"),  # a number
        ("party-organizations/", {"has_committee": "maybe"}, "has_committee"),  # a boolean
        ("instructors/", {"region": "999999"}, "region"),  # a division code
    ],
)
def test_write_api_bad_input_names_the_field(world, superuser, url, data, field):
    response = post(superuser, f"{API}{url}", data)
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_write_api_errors_in_request_language(world, superuser):
    english = post(superuser, f"{API}coverage-links/", {}, language="en").json()
    chinese = post(superuser, f"{API}coverage-links/", {}, language="zh-hans").json()
    assert english["since"] == ["This field is required."]
    assert chinese["since"] == ["该字段是必填项。"]


def test_write_api_service_refusal_is_400_naming_field_nothing_written(world, superuser):
    before = InstructorAssignment.objects.count()
    response = post(
        superuser,
        f"{API}instructor-assignments/",
        {
            "instructor": world["instructor"].pk,
            "organization": world["org"].pk,
            "since": "2019-06-01",
            "until": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert f"assignment no. {world['assignment'].pk}" in response.json()["since"][0]
    assert InstructorAssignment.objects.count() == before


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["coverage-links", "instructor-assignments", "organization-status-changes", "committee-posts"]
)
def test_write_api_list_query_count_constant(world, superuser, name):
    client = client_for(superuser)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{API}{name}/").status_code == 200
    po = PartyOrganizationFactory(kind="joint_branch", building_mode="joint", founded_on=D(2015, 1, 1))
    for _ in range(4):
        org = OrganizationFactory(registered_on=D(2016, 1, 1))
        coverage_link_create(party_organization=po, organization=org, since=D(2018, 1, 1), actor=SYSTEM)
        instructor_assign(instructor=world["instructor"], organization=org, since=D(2019, 1, 1), actor=SYSTEM)
        member = MemberFactory(party_organization=po)
        committee_post_create(
            party_organization=po, member=member, post="member", since=D(2020, 1, 1), actor=SYSTEM
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{API}{name}/").status_code == 200
    assert len(small) == len(large)


def test_write_api_status_change_without_date_with_external_id_is_400(world, superuser):
    """Found by the API gate: a status change with an external id but no date answered 500."""
    response = post(
        superuser,
        f"{API}organization-status-changes/",
        {"kind": "revoked", "organization": world["org"].pk, "external_id": "Ô\U00109474"},
    )
    assert response.status_code == 400, response.content
    assert "on" in response.json()
