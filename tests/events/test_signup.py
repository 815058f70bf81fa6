"""Public sign-up for public events with a window and a capacity: confirmed, then a waiting list,
cancel by a signed link, the organizer's list; throttled; nothing personal shown back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, SignUp
from events.services.signups import signup_cancel, signup_create, signup_token, waiting_position
from tests.accounts.factories import UserFactory
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

PHONES = [f"1390000{n:04d}" for n in range(20)]


@pytest.fixture
def event(pos):
    start = timezone.now() + dt.timedelta(days=5)
    return make_event(
        pos.branch_a,
        kind=Event.Kind.VOLUNTEER_SERVICE,
        start=start,
        title="周末社区清洁行动",
        is_public=True,
        capacity=2,
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
        registration_closes_at=start - dt.timedelta(days=1),
    )


def _sign(event, n: int, name: str = "王小明") -> SignUp:
    return signup_create(event=event, name=name, phone=PHONES[n])


# --- services --------------------------------------------------------------------------------------


def test_signup_create_confirms_up_to_capacity_then_waiting_list(event):
    first, second, third, fourth = (_sign(event, n) for n in range(4))

    assert [s.status for s in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    assert (waiting_position(third), waiting_position(fourth), waiting_position(first)) == (1, 2, None)
    stored = SignUp.objects.get(pk=first.pk)
    assert stored.phone == PHONES[0] and stored.phone_hash and stored.phone_hash != PHONES[0]


def test_signup_create_same_phone_twice_refused_naming_the_phone(event):
    _sign(event, 0)
    with pytest.raises(ValidationError) as error:
        signup_create(event=event, name="另一人", phone="139 0000-0000")
    assert set(error.value.message_dict) == {"phone"}
    assert SignUp.objects.count() == 1


def test_signup_create_bad_input_names_each_field_and_writes_nothing(event):
    with pytest.raises(ValidationError) as error:
        signup_create(event=event, name="  ", phone="12ab")
    assert set(error.value.message_dict) == {"name", "phone"}
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"registration_opens_at": "future"},
        {"registration_closes_at": "past"},
        {"status": "cancelled"},
        {"is_public": False},
        {"capacity": None},
    ],
)
def test_signup_create_outside_window_or_not_offered_refused(event, change):
    now = timezone.now()
    values = {
        key: (now + dt.timedelta(hours=1) if value == "future" else now - dt.timedelta(hours=1))
        if value in ("future", "past")
        else value
        for key, value in change.items()
    }
    if "registration_closes_at" in values:
        values["registration_opens_at"] = now - dt.timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(**values)
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        _sign(event, 0)
    assert not SignUp.objects.exists()


def test_signup_cancel_confirmed_moves_the_first_waiting_up(event):
    first, _second, third, fourth = (_sign(event, n) for n in range(4))

    signup_cancel(signup=first)

    statuses = dict(SignUp.objects.values_list("pk", "status"))
    assert statuses[first.pk] == "cancelled"
    assert statuses[third.pk] == "confirmed"
    assert statuses[fourth.pk] == "waiting"
    assert waiting_position(SignUp.objects.get(pk=fourth.pk)) == 1
    with pytest.raises(ValidationError):
        signup_cancel(signup=first)
    # the phone may sign up again once cancelled
    assert _sign(event, 0).status == "waiting"


def test_signup_cancel_waiting_keeps_the_places(event):
    _first, _second, third, fourth = (_sign(event, n) for n in range(4))
    signup_cancel(signup=third)
    assert SignUp.objects.get(pk=fourth.pk).status == "waiting"
    assert SignUp.objects.filter(status="confirmed").count() == 2


# --- public pages ----------------------------------------------------------------------------------


def test_signup_page_sign_up_redirects_to_private_page_without_personal_data(client, event):
    url = reverse("events:signup", args=[event.pk])
    assert "2 places left" in client.get(url).content.decode()

    response = client.post(url, {"name": "王小明", "phone": PHONES[0]})

    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="confirmed"' in html
    assert "王小明" not in html and PHONES[0] not in html and PHONES[0][-4:] not in html
    assert "王小明" not in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_signup_page_full_event_offers_the_waiting_list(client, event):
    _sign(event, 0)
    _sign(event, 1)
    url = reverse("events:signup", args=[event.pk])
    assert "Join the waiting list" in client.get(url).content.decode()

    response = client.post(url, {"name": "李四", "phone": PHONES[2]}, follow=True)

    assert "number 1 on the waiting list" in response.content.decode()


def test_signup_page_bad_input_shows_field_errors(client, event):
    response = client.post(reverse("events:signup", args=[event.pk]), {"name": "", "phone": "abc"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "phone"}
    assert not SignUp.objects.exists()


def test_signup_status_cancel_by_link(client, event):
    mine = _sign(event, 0)
    url = reverse("events:signup_status", args=[signup_token(mine)])

    client.post(url)

    assert SignUp.objects.get(pk=mine.pk).status == "cancelled"
    assert 'data-status="cancelled"' in client.get(url).content.decode()


@pytest.mark.parametrize("token", ["nonsense", "1:abc:def"])
def test_signup_status_forged_link_404(client, event, token):
    _sign(event, 0)
    assert client.get(reverse("events:signup_status", args=[token])).status_code == 404
    assert client.post(reverse("events:signup_status", args=[token])).status_code == 404
    assert SignUp.objects.get().status == "confirmed"


def test_signup_page_event_without_signup_404(client, pos):
    private = make_event(pos.branch_a, start=timezone.now() + dt.timedelta(days=3))
    public_no_capacity = make_event(
        pos.branch_a, start=timezone.now() + dt.timedelta(days=3), is_public=True, title="讲座"
    )
    for event in (private, public_no_capacity):
        assert client.get(reverse("events:signup", args=[event.pk])).status_code == 404


def test_signup_page_throttled_per_address(client, event, settings):
    settings.EVENTS = {**settings.EVENTS, "SIGNUP_PER_ADDRESS": 3}
    from django.core.cache import cache

    cache.clear()
    url = reverse("events:signup", args=[event.pk])
    statuses = [client.post(url, {"name": "甲", "phone": PHONES[n]}).status_code for n in range(5)]

    assert statuses[:3] == [302, 302, 302]
    assert statuses[3:] == [429, 429]
    assert SignUp.objects.count() == 3


# --- the organizer's list --------------------------------------------------------------------------


def test_organizer_signups_role_matrix(
    event, pos, superuser, district_staff, street_staff, other_street_staff
):
    from tests.access import assert_role_matrix

    users = {
        "superuser": superuser,
        "district_staff": district_staff,
        "street_staff": street_staff,
        "other_street_staff": other_street_staff,
        "organizer": UserFactory(role="secretary", username="sec_a", party_organization=pos.branch_a),
        "other_secretary": UserFactory(role="secretary", username="sec_b", party_organization=pos.branch_b),
        "anonymous": None,
    }
    assert_role_matrix(
        users,
        reverse("events_portal:signups", args=[event.pk]),
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "organizer": 200,
            "other_secretary": 404,
            "anonymous": 302,
        },
    )


def test_organizer_signups_lists_everyone_in_order_with_masked_phones(client, event, pos):
    for n in range(3):
        _sign(event, n, name=f"报名人{n}")
    client.force_login(UserFactory(role="secretary", party_organization=pos.branch_a))

    html = client.get(reverse("events_portal:signups", args=[event.pk])).content.decode()

    assert html.index("报名人0") < html.index("报名人1") < html.index("报名人2")
    assert PHONES[0] not in html
    assert "2 confirmed, 1 waiting, 0 cancelled" in html
    detail = client.get(reverse("events_portal:detail", args=[event.pk])).content.decode()
    assert reverse("events_portal:signups", args=[event.pk]) in detail


def test_organizer_signups_query_count_flat(client, event, pos):
    client.force_login(UserFactory(role="secretary", party_organization=pos.branch_a))
    url = reverse("events_portal:signups", args=[event.pk])
    _sign(event, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        _sign(event, n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
