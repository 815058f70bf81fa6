"""An event whose volunteer hours are confirmed stays editable (issue 12): its description, topic and
the rest are saved; its times are shown read-only in the portal and kept; a time sent back unchanged
is no change; a real change of time is refused on the time's field (service and API)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.services.attendance import event_confirm_hours
from events.services.events import event_update
from tests.events.factories import at

API = "/api/v1/events/"
pytestmark = pytest.mark.django_db
START, END = at(2024, 4, 6, 9), at(2024, 4, 6, 11, 30)
DATA = {
    "kind": "public_welfare",
    "title": "社区义诊",
    "starts_at": START.isoformat(),
    "ends_at": END.isoformat(),
    "external_id": "V-2024-04",
}


def api_post(user, data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.post(API, json.dumps(data), content_type="application/json")


@pytest.fixture
def confirmed(pos, secretary_a):
    """A past volunteer activity of branch A, created through the API, its hours confirmed."""
    response = api_post(secretary_a, {**DATA, "party_organization": pos.branch_a.pk})
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    event_confirm_hours(event=event, actor=secretary_a)
    event.refresh_from_db()
    assert event.hours_confirmed_at is not None
    return event


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# --- the portal ---------------------------------------------------------------------------------------


def test_portal_edit_shows_times_read_only_and_saves_the_rest(confirmed, secretary_a):
    client = _client(secretary_a)
    url = reverse("events_portal:edit", args=[confirmed.pk])
    # the page shows both times, disabled, and the description editable
    page = client.get(url).content.decode()
    for name in ("starts_at", "ends_at"):
        tag = page[page.index(f'name="{name}"') :].split(">", 1)[0]
        assert "disabled" in tag, tag
    assert "disabled" not in page[page.index('name="description"') :].split(">", 1)[0]
    # when the form is posted as a browser sends it (disabled fields are not sent)
    response = client.post(url, {"title": "社区义诊（补记）", "description": "为60位老人测量血压。"})
    # then the topic and description are saved, the times kept
    assert response.status_code == 302, response.content.decode()[:2000]
    confirmed.refresh_from_db()
    assert (confirmed.title, confirmed.description) == ("社区义诊（补记）", "为60位老人测量血压。")
    assert (confirmed.starts_at, confirmed.ends_at) == (START, END)


def test_portal_edit_posting_the_times_as_shown_or_changed_keeps_them(confirmed, secretary_a):
    client = _client(secretary_a)
    url = reverse("events_portal:edit", args=[confirmed.pk])
    for starts_at in (_local(START), "2024-04-07T14:00"):  # as shown, then a hand-made change
        response = client.post(
            url,
            {"title": "社区义诊", "description": starts_at, "starts_at": starts_at, "ends_at": _local(END)},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        confirmed.refresh_from_db()
        assert confirmed.description == starts_at
        assert (confirmed.starts_at, confirmed.ends_at) == (START, END)


def test_portal_edit_of_an_unconfirmed_event_still_changes_its_times(pos, secretary_a):
    response = api_post(secretary_a, {**DATA, "external_id": "", "party_organization": pos.branch_a.pk})
    event = Event.objects.get(pk=response.json()["id"])
    client = _client(secretary_a)
    url = reverse("events_portal:edit", args=[event.pk])
    assert (
        "disabled"
        not in (page := client.get(url).content.decode())[page.index('name="starts_at"') :].split(">", 1)[0]
    )
    response = client.post(
        url, {"title": "社区义诊", "starts_at": "2024-04-07T14:00", "ends_at": "2024-04-07T16:00"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert _local(event.starts_at) == "2024-04-07T14:00"


# --- the service and the API ----------------------------------------------------------------------------


def test_service_unchanged_time_is_no_change_a_changed_one_refused_on_its_field(confirmed, secretary_a):
    saved = event_update(event=confirmed, actor=secretary_a, starts_at=START, ends_at=END, description="记录")
    assert saved.description == "记录"
    with pytest.raises(ValidationError) as caught:
        event_update(event=confirmed, actor=secretary_a, starts_at=START, ends_at=at(2024, 4, 6, 12))
    assert set(caught.value.message_dict) == {"ends_at"}
    assert "the time cannot change (it is 2024-04-06 11:30)" in caught.value.message_dict["ends_at"][0]
    confirmed.refresh_from_db()
    assert confirmed.ends_at == END


def test_api_resend_with_the_same_times_updates_a_changed_time_is_refused(confirmed, secretary_a, pos):
    data = {**DATA, "party_organization": pos.branch_a.pk}
    again = api_post(secretary_a, {**data, "title": "社区义诊（更正）"})
    assert again.status_code == 200, again.content
    moved = api_post(secretary_a, {**data, "starts_at": at(2024, 4, 6, 8).isoformat()})
    assert moved.status_code == 400 and "starts_at" in moved.json(), moved.content
    confirmed.refresh_from_db()
    assert (confirmed.title, confirmed.starts_at) == ("社区义诊（更正）", START)
