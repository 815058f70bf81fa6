"""Instructor-assignment corrections (issue 12, "a history row can be edited by staff with an audit
entry"): checked like a new assignment against the organization's status history, naming the row;
a correction that passes leaves a django-auditlog entry with the old and new dates."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from branches.models import InstructorAssignment
from branches.services.instructors import instructor_assign, instructor_assignment_correct
from orgs.models import OrganizationStatusChange
from orgs.services.status_history import organization_status_record
from tests.branches.factories import InstructorFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_instructor_assignment_correct_into_inactive_period_refused_naming_status_row(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    organization_status_record(organization=org, kind="deregistered", on=D(2022, 1, 1), actor=superuser)
    row = OrganizationStatusChange.objects.get(organization=org, kind="deregistered")
    assignment = instructor_assign(
        instructor=InstructorFactory(name="李指导"),
        organization=org,
        since=D(2018, 1, 1),
        until=D(2020, 1, 1),
        actor=superuser,
    )
    with pytest.raises(ValidationError) as caught:
        instructor_assignment_correct(
            assignment=assignment, since=D(2018, 1, 1), until=D(2023, 1, 1), actor=superuser
        )
    assert (
        f"“Deregistered on 2022-01-01” (status change no. {row.pk})"
        in caught.value.message_dict["organization"][0]
    )
    assert InstructorAssignment.objects.get(pk=assignment.pk).until == D(2020, 1, 1)


def test_instructor_assignment_correct_leaves_audit_entry(regions, superuser):
    org = OrganizationFactory(registered_on=D(2016, 5, 1))
    assignment = instructor_assign(
        instructor=InstructorFactory(),
        organization=org,
        since=D(2018, 1, 1),
        until=D(2020, 1, 1),
        actor=superuser,
    )
    instructor_assignment_correct(
        assignment=assignment, since=D(2017, 6, 1), until=D(2020, 1, 1), actor=superuser
    )
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(InstructorAssignment),
        object_pk=str(assignment.pk),
        action=LogEntry.Action.UPDATE,
    )
    assert entry.changes_dict["since"] == ["2018-01-01", "2017-06-01"]
