"""Finding 5 of issue 13: dates bounded (1900-01-01 … 2100-12-31) at the model, form and API layers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from config.date_bounds import BoundedDateTimeField, date_in_range
from events.models import Booking, Event
from events.services.events import event_create
from news.models import Article
from orgs.models import Organization
from orgs.services.organizations import organization_create
from orgs.uscc import make_uscc
from tests.actors import SYSTEM
from tests.events.factories import make_center, make_room
from tests.members.factories import build_po_tree
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "value",
    [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2101, 1, 1), dt.date(9999, 12, 31)],
)
def test_date_in_range_refuses_outside(value):
    with pytest.raises(ValidationError):
        date_in_range(value)


def test_date_in_range_accepts_edges_and_refuses_wild_offset():
    date_in_range(dt.date(1900, 1, 1))
    date_in_range(dt.date(2100, 12, 31))
    date_in_range(dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=15, minutes=59))))
    with pytest.raises(ValidationError):
        date_in_range(dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=16))))


def test_bounded_form_field_year_one_is_a_field_error_not_overflow():
    with pytest.raises(ValidationError):
        BoundedDateTimeField().clean("0001-01-01T00:00")


def test_event_create_year_one_refused_on_field(regions, secretary):
    pos = build_po_tree(regions)
    with pytest.raises(ValidationError) as caught:
        event_create(
            actor=SYSTEM,
            kind=Event.Kind.THEME_DAY,
            title="公元一年",
            starts_at=dt.datetime(1, 1, 1, 9, tzinfo=dt.UTC),
            ends_at=dt.datetime(1, 1, 1, 11, tzinfo=dt.UTC),
            party_organization=pos.branch_a,
        )
    assert "starts_at" in caught.value.message_dict
    assert not Event.objects.exists()


def test_event_portal_form_year_one_400_field_error_and_list_still_200(regions):
    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    pos = build_po_tree(regions)
    secretary = UserFactory(role=Role.SECRETARY, party_organization=pos.branch_a)
    client = _client(secretary)
    response = client.post(
        reverse("events_portal:create"),
        {
            "party_organization": pos.branch_a.pk,
            "kind": "theme_day",
            "title": "公元一年",
            "starts_at": "0001-01-01T09:00",
            "ends_at": "0001-01-01T11:00",
        },
    )
    assert response.status_code == 400
    assert 'id="id_starts_at_error"' in response.content.decode()
    assert not Event.objects.exists()
    assert client.get(reverse("events_portal:list")).status_code == 200


def test_organization_registered_9999_refused_service_and_api(regions, street_staff):
    with pytest.raises(ValidationError) as caught:
        organization_create(
            actor=street_staff,
            name="万年社",
            kind="private_non_enterprise",
            uscc=make_uscc("private_non_enterprise", "330482", 7),
            region=regions.community_a1,
            registered_on=dt.date(9999, 12, 31),
        )
    assert "registered_on" in caught.value.message_dict
    payload = {
        "name": "万年社",
        "kind": "private_non_enterprise",
        "uscc": make_uscc("private_non_enterprise", "330482", 7),
        "region": regions.community_a1.code,
        "registered_on": "9999-12-31",
    }
    response = _api(street_staff).post("/api/v1/organizations/", payload, format="json")
    assert response.status_code == 400 and list(response.json()) == ["registered_on"]
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    "value", ["2025-01-01T00:00:00+16:00", "2025-01-01T00:00:00-23:59", "0001-01-01T00:00:00"]
)
def test_events_api_filter_wild_offset_or_year_400(regions, superuser, value):
    response = _api(superuser).get("/api/v1/events/", {"starts_after": value})
    assert response.status_code == 400 and "starts_after" in response.json()


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_bookings_api_year_one_400_on_field(regions, superuser, year):
    room = make_room(make_center(regions.community_a1))
    payload = {
        "room": room.pk,
        "starts_at": f"{year}-01-01T09:00:00",
        "ends_at": f"{year}-01-01T11:00:00",
        "purpose": "会",
        "attendees": 3,
    }
    response = _api(superuser).post("/api/v1/bookings/", payload, format="json")
    assert response.status_code == 400 and "starts_at" in response.json()
    assert not Booking.objects.exists()


def test_article_admin_out_of_scope_organization_is_field_error_not_500(regions, street_staff):
    outside = OrganizationFactory(region=regions.community_b1)
    response = _client(street_staff).post(
        reverse("admin:news_article_add"),
        {
            "kind": "news",
            "title": "越界链接",
            "summary": "",
            "body": "<p>正文</p>",
            "organizations": [outside.pk],
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "organizations" in response.context["adminform"].form.errors
    assert not Article.objects.exists()
