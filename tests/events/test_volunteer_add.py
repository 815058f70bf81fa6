"""Finding 3 of issue 13: adding a volunteer by phone is scoped, acted by the user, and all-or-nothing."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from events.models import Event, Volunteer
from events.services.attendance import event_add_volunteer
from events.services.points import points_correct, volunteer_create
from tests.actors import SYSTEM
from tests.events.factories import make_event, make_volunteer
from tests.orgs.factories import build_region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(pos):
    start = timezone.now() + dt.timedelta(days=3)
    return make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=start)


@pytest.fixture
def far_volunteer(regions):
    """A volunteer of street B, with points: nothing a street-A secretary may see."""
    volunteer = make_volunteer(regions.community_b1, name="钟埭老志愿", phone="13611112222")
    points_correct(volunteer=volunteer, points=77, actor=SYSTEM, note="期初")
    return volunteer


def _post(user, event, data):
    client = Client()
    client.force_login(user)
    return client.post(reverse("events_portal:add_volunteer", args=[event.pk]), data)


def test_add_volunteer_out_of_scope_phone_learns_nothing(activity, secretary_a, far_volunteer):
    # the attack: a phone of a volunteer in another street, no name given
    known = _post(secretary_a, activity, {"phone": "13611112222"})
    unknown = _post(secretary_a, activity, {"phone": "13633334444"})  # nobody has this one
    assert known.status_code == unknown.status_code == 400
    assert "钟埭老志愿" not in known.content.decode()
    assert known.context["form"].errors == unknown.context["form"].errors  # the same answer
    assert not activity.attendances.exists()


def test_add_volunteer_in_scope_phone_found(activity, street_staff, regions):
    mine = make_volunteer(regions.community_a1, name="东湖志愿", phone="13655556666")
    response = _post(street_staff, activity, {"phone": "136 5555 6666"})
    assert response.status_code == 302
    assert activity.attendances.get().volunteer == mine


def test_add_volunteer_out_of_scope_with_registered_name_joins_existing(
    activity, secretary_a, far_volunteer, regions
):
    data = {"phone": "13611112222", "name": "钟埭老志愿", "region": regions.community_a1.pk}
    assert _post(secretary_a, activity, data).status_code == 302
    assert activity.attendances.get().volunteer == far_volunteer
    assert Volunteer.objects.count() == 1


def test_add_volunteer_secretary_other_district_community_refused(activity, secretary_a):
    other_district = build_region_tree("330599")
    data = {"phone": "13677778888", "name": "外区人", "region": other_district.community_a1.pk}
    response = _post(secretary_a, activity, data)
    assert response.status_code == 400 and response.context["form"].errors["region"]
    with pytest.raises(ValidationError) as caught:  # the service refuses it too, not only the form
        event_add_volunteer(
            event=activity,
            actor=secretary_a,
            phone="13677778888",
            name="外区人",
            region=other_district.community_a1,
        )
    assert "region" in caught.value.error_dict
    assert not Volunteer.objects.filter(name="外区人").exists()


def test_add_volunteer_refused_registration_leaves_no_volunteer(pos, secretary_a, regions):
    # a closed registration: the new volunteer must not stay behind
    past = make_event(
        pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=timezone.now() - dt.timedelta(days=3)
    )
    data = {"phone": "13699990000", "name": "新志愿", "region": regions.community_a1.pk}
    response = _post(secretary_a, past, data)
    assert response.status_code == 400
    assert not Volunteer.objects.filter(name="新志愿").exists()


def test_volunteer_services_refuse_none_actor(activity, regions):
    with pytest.raises(TypeError):
        volunteer_create(actor=None, name="无人", region=regions.community_a1)  # type: ignore[arg-type]  # refused: the test
    with pytest.raises(TypeError):
        event_add_volunteer(
            event=activity,
            actor=None,  # type: ignore[arg-type]  # None is refused: what this test shows
            phone="13600000000",
            name="无人",
            region=regions.community_a1,
        )
    assert not Volunteer.objects.exists()


def test_volunteer_lookup_services_need_a_person_not_the_system(activity, regions):
    # a volunteer lookup is scoped and rate-limited per person: a system actor is refused like the public
    with pytest.raises(ValidationError) as exc:
        volunteer_create(actor=SYSTEM, name="无人", region=regions.community_a1)
    assert exc.value.message_dict[NON_FIELD_ERRORS] == [gettext("Log in to do this.")]
    with pytest.raises(ValidationError):
        event_add_volunteer(
            event=activity, actor=SYSTEM, phone="13600000000", name="无人", region=regions.community_a1
        )
    assert not Volunteer.objects.exists()


def test_add_volunteer_route_anonymous_and_out_of_scope_refused(activity, secretary_b):
    anonymous = Client().post(reverse("events_portal:add_volunteer", args=[activity.pk]), {"phone": "1"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert _post(secretary_b, activity, {"phone": "13600000000"}).status_code == 404
