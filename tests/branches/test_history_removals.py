"""Coverage links and instructor assignments entered by mistake are removed by staff (issue 12: "a history
row can be edited or removed by staff with an audit entry"), through the service, the API and the admin.
A removal leaves a django-auditlog entry; the figures of those days are read again without the row;
outside the scope answers 404, a secretary is refused, anonymous is refused; re-sending the source
system's key after a removal creates the row again."""

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from branches.models import CoverageLink, InstructorAssignment
from branches.services.coverage import coverage_link_remove
from branches.services.instructors import instructor_assign, instructor_assignment_remove
from stats.coverage.engine import coverage_figures
from tests.actors import SYSTEM
from tests.branches.factories import CoverageLinkFactory, InstructorFactory, PartyOrganizationFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def link(regions):
    org = OrganizationFactory(name="甲社工服务中心", region=regions.street_a, registered_on=D(2016, 1, 1))
    po = PartyOrganizationFactory(name="甲社工党支部", region=regions.street_a, founded_on=D(2016, 1, 1))
    return CoverageLinkFactory(
        party_organization=po, organization=org, since=D(2018, 1, 1), until=D(2021, 1, 1)
    )


@pytest.fixture
def assignment(regions):
    org = OrganizationFactory(name="乙社工服务中心", region=regions.street_a, registered_on=D(2016, 1, 1))
    return instructor_assign(
        instructor=InstructorFactory(name="李指导", region=regions.street_a),
        organization=org,
        since=D(2018, 1, 1),
        until=D(2020, 1, 1),
        actor=SYSTEM,
    )


def removed_entry(model, pk):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk),
        action=LogEntry.Action.DELETE,
    )


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def test_link_removed_by_staff_is_audited_and_the_past_figures_follow(link, regions, street_staff):
    covered = coverage_figures(region=regions.district, day=D(2019, 6, 1)).figures.org_covered
    coverage_link_remove(link=link, actor=street_staff)
    assert not CoverageLink.objects.filter(pk=link.pk).exists()
    assert removed_entry(CoverageLink, link.pk).count() == 1
    after = coverage_figures(region=regions.district, day=D(2019, 6, 1)).figures.org_covered
    assert after == covered - 1


def test_link_removal_refused_to_a_secretary_and_outside_the_scope(link, secretary, other_street_staff):
    with pytest.raises(ValidationError):
        coverage_link_remove(link=link, actor=secretary)
    with pytest.raises(ValidationError):
        coverage_link_remove(link=link, actor=other_street_staff)
    assert CoverageLink.objects.filter(pk=link.pk).exists()


def test_assignment_removed_by_staff_is_audited(assignment, street_staff, secretary):
    with pytest.raises(ValidationError):
        instructor_assignment_remove(assignment=assignment, actor=secretary)
    instructor_assignment_remove(assignment=assignment, actor=street_staff)
    assert not InstructorAssignment.objects.filter(pk=assignment.pk).exists()
    assert removed_entry(InstructorAssignment, assignment.pk).count() == 1


@pytest.mark.parametrize(
    ("fixture", "url", "model"),
    [
        ("link", "/api/v1/coverage-links/{}/", CoverageLink),
        ("assignment", "/api/v1/instructor-assignments/{}/", InstructorAssignment),
    ],
)
def test_api_delete_in_scope_out_of_scope_secretary_anonymous(
    request, fixture, url, model, street_staff, other_street_staff, secretary
):
    row = request.getfixturevalue(fixture)
    path = url.format(row.pk)
    assert client_for(None).delete(path).status_code in (401, 403)
    assert client_for(secretary).delete(path).status_code in (403, 404)
    assert client_for(other_street_staff).delete(path).status_code == 404
    assert client_for(street_staff).delete(url.format(row.pk + 10_000)).status_code == 404
    assert model.objects.filter(pk=row.pk).exists()
    response = client_for(street_staff).delete(path)
    assert response.status_code == 204, response.content
    assert not model.objects.filter(pk=row.pk).exists()
    assert removed_entry(model, row.pk).count() == 1


def test_api_resend_after_removal_creates_the_link_again(link, street_staff):
    body = {
        "party_organization": link.party_organization_id,
        "organization": link.organization_id,
        "since": "2018-01-01",
        "until": "2021-01-01",
        "external_id": "SRC-LINK-7",
    }
    client = client_for(street_staff)
    api = "/api/v1/coverage-links/"
    client.delete(f"{api}{link.pk}/")
    first = client.post(api, json.dumps(body), content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.delete(f"{api}{first.json()['id']}/")
    assert again.status_code == 204
    recreated = client.post(api, json.dumps(body), content_type="application/json")
    assert recreated.status_code == 201, recreated.content
    assert CoverageLink.objects.filter(organization=link.organization).count() == 1


@pytest.mark.parametrize(
    ("fixture", "name", "model"),
    [("link", "coveragelink", CoverageLink), ("assignment", "instructorassignment", InstructorAssignment)],
)
def test_admin_delete_goes_through_the_service(
    request, fixture, name, model, street_staff, other_street_staff
):
    row = request.getfixturevalue(fixture)
    url = reverse(f"admin:branches_{name}_delete", args=[row.pk])
    assert client_for(other_street_staff).get(url).status_code in (302, 404)
    client = client_for(street_staff)
    assert client.get(url).status_code == 200
    changelist = client.get(reverse(f"admin:branches_{name}_changelist"))
    assert b'value="delete_selected"' not in changelist.content  # one row at a time, through the service
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=row.pk).exists()
    assert removed_entry(model, row.pk).count() == 1
