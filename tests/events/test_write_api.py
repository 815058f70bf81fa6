"""Events with attendance through the API (issue 12): create a past meeting, record it held, mark who
came; role matrix and bad input naming the field."""

import json

import pytest
from django.test import Client

from events.models import Event
from tests.access import assert_role_matrix
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory

API = "/api/v1/events/"
pytestmark = pytest.mark.django_db


def post(user, url, data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_event_api_past_meeting_held_with_attendance(pos, secretary_a):
    came, absent = (
        MemberFactory(party_organization=pos.branch_a),
        MemberFactory(party_organization=pos.branch_a),
    )
    response = post(
        secretary_a,
        API,
        {
            "kind": "theme_day",
            "title": "三月主题党日",
            "starts_at": at(2024, 3, 1).isoformat(),
            "ends_at": at(2024, 3, 1, 11).isoformat(),
            "party_organization": pos.branch_a.pk,
        },
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    response = post(secretary_a, f"{API}{event_id}/held/", {"minutes": "学习党章。"})
    assert response.status_code == 200 and response.json()["status"] == "held"
    client = Client()
    client.force_login(secretary_a)
    rows = client.get(f"{API}{event_id}/attendance/").json()
    row_of = {row["member"]: row["id"] for row in rows}
    response = post(secretary_a, f"{API}{event_id}/attendance/", {"present": [row_of[came.pk]]})
    assert response.status_code == 200, response.content
    assert {row["member"]: row["came"] for row in response.json()} == {came.pk: True, absent.pk: False}


def test_event_api_write_matrix(pos, secretary_a, secretary_b, role_users):
    event = make_event(pos.branch_a, start=at(2024, 3, 1))
    url = f"{API}{event.pk}/held/"
    assert post(secretary_b, url, {"minutes": "x"}).status_code == 404
    assert_role_matrix(role_users, url, {"anonymous": 403}, method="post", data={"minutes": "x"})
    assert post(secretary_a, url, {"minutes": "会议记录"}).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"party_organization": 999999}, "party_organization"),
    ],
)
def test_event_api_bad_input_names_field(pos, secretary_a, data, field):
    response = post(secretary_a, API, {"title": "x", **data})
    assert response.status_code == 400 and field in response.json()
    assert not Event.objects.exists()


def test_event_api_resync_by_external_id_updates_instead_of_duplicating(pos, secretary_a):
    data = {
        "kind": "theme_day",
        "title": "四月主题党日",
        "starts_at": at(2024, 4, 1).isoformat(),
        "ends_at": at(2024, 4, 1, 11).isoformat(),
        "party_organization": pos.branch_a.pk,
        "external_id": "E-2024-04",
    }
    first = post(secretary_a, API, data)
    again = post(secretary_a, API, {**data, "title": "四月主题党日（更正）"})
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert list(Event.objects.filter(title__startswith="四月").values_list("title", flat=True)) == [
        "四月主题党日（更正）"
    ]
