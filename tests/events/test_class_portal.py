"""Party-school classes in the portal: role × view, the secretary's writes, and the certificate
(printed for a trainee who completed the requirement in the class, refused otherwise)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, PartyClass
from events.services.attendance import attendance_mark
from tests.access import assert_role_matrix
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _came(session, member, actor):
    row = session.event.attendances.get(member=member)
    attendance_mark(event=session.event, actor=actor, present={row.pk})


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


def test_class_pages_role_matrix(school, users):
    party_class, _sessions = school
    assert_role_matrix(
        users,
        reverse("events_portal:classes"),
        {"secretary_a": 200, "secretary_b": 200, "district_staff": 200, "org_contact": 404, "anonymous": 302},
    )
    assert_role_matrix(
        users,
        reverse("events_portal:class", args=[party_class.pk]),
        {
            "secretary_a": 200,
            "secretary_b": 404,
            "street_staff": 200,
            "other_street_staff": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )
    body = _client(users["secretary_b"]).get(reverse("events_portal:classes")).content.decode()
    assert party_class.name not in body


def test_class_detail_shows_trainees_hours_and_sessions(school, activist, secretary_a):
    party_class, sessions = school
    _came(sessions[0], activist, secretary_a)
    body = _client(secretary_a).get(reverse("events_portal:class", args=[party_class.pk])).content.decode()
    assert activist.name in body and '<td data-label="Class hours">8</td>' in body
    assert body.count("2024-03-") >= 3  # the three sessions' dates
    assert 'data-testid="certificate-link"' not in body  # 8 hours: not completed


def test_certificate_printed_for_completed_trainee_only(school, activist, users):
    party_class, sessions = school
    url = reverse("events_portal:class_certificate", args=[party_class.pk, activist.pk])
    # given two sessions attended (16 hours, 2 days): refused, back to the class page with the reason
    for session in sessions[:2]:
        _came(session, activist, users["secretary_a"])
    response = _client(users["secretary_a"]).get(url)
    assert response.status_code == 302 and response.url == reverse(
        "events_portal:class", args=[party_class.pk]
    )
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "16 class hours and 2 days" in message and "24 class hours or 3 days" in message
    # when the third is attended (24 hours): printed, for the class's own side and staff over it only
    _came(sessions[2], activist, users["secretary_a"])
    assert_role_matrix(
        users,
        url,
        {
            "secretary_a": 200,
            "secretary_b": 404,
            "street_staff": 200,
            "other_street_staff": 404,
            "org_contact": 404,
            "anonymous": 302,
        },
    )
    body = _client(users["secretary_a"]).get(url).content.decode()
    assert 'data-testid="certificate"' in body and "css/certificate.css" in body
    assert activist.name in body and party_class.name in body and "24 class hours (3 days)" in body
    assert f"No. 2024-{party_class.pk:03d}-" in body and "2024-03-31" in body


def test_certificate_of_someone_not_in_the_class_is_404(school, pos, secretary_a):
    party_class, _sessions = school
    stranger = MemberFactory(party_organization=pos.branch_a)
    url = reverse("events_portal:class_certificate", args=[party_class.pk, stranger.pk])
    assert _client(secretary_a).get(url).status_code == 404


def test_secretary_opens_class_enrols_and_adds_session(pos, activist, secretary_a, secretary_b):
    client = _client(secretary_a)
    # a bad class: the error names the problem, nothing is written
    response = client.post(
        reverse("events_portal:class_create"),
        {"name": "第2期", "starts_on": "2024-05-10", "ends_on": "2024-05-01"},
    )
    assert response.status_code == 302 and not PartyClass.objects.exists()
    assert "The class ends on or after its first day." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    response = client.post(
        reverse("events_portal:class_create"),
        {"name": "第2期", "starts_on": "2024-05-01", "ends_on": "2024-05-31"},
    )
    party_class = PartyClass.objects.get()
    assert response.url == reverse("events_portal:class", args=[party_class.pk])
    assert (party_class.party_organization, party_class.starts_on) == (pos.branch_a, dt.date(2024, 5, 1))
    # another branch's secretary cannot write into it
    enrol = reverse("events_portal:class_enrol", args=[party_class.pk])
    assert _client(secretary_b).post(enrol, {"member": activist.pk}).status_code == 404
    client.post(enrol, {"member": activist.pk})
    assert list(party_class.trainees.values_list("member_id", flat=True)) == [activist.pk]
    event = make_event(pos.branch_a, kind=Event.Kind.TRAINING, start=at(2024, 5, 6), hours=8)
    add = reverse("events_portal:class_session_add", args=[party_class.pk])
    response = client.post(add, {"event": event.pk, "class_hours": "20", "days": "1"})
    assert "A session credits 1 to 12 class hours." in [str(m) for m in get_messages(response.wsgi_request)]
    client.post(add, {"event": event.pk, "class_hours": "8", "days": "1"})
    session = party_class.sessions.get()
    assert (session.event, session.class_hours) == (event, 8)
    assert event.attendances.filter(member=activist).exists()  # the trainee is on the session's list


def test_class_detail_query_count_flat(school, pos, secretary_a):
    party_class, _sessions = school
    client = _client(secretary_a)
    url = reverse("events_portal:class", args=[party_class.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    from events.models import PartyClassTrainee

    for _n in range(4):
        member = MemberFactory(
            party_organization=pos.branch_a,
            stage="activist",
            activist_on=dt.date(2023, 3, 1),
            candidate_on=None,
            admitted_on=None,
            full_on=None,
        )
        PartyClassTrainee.objects.create(party_class=party_class, member=member)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
