"""The volunteer service bank: credits from confirmed hours, append-only ledger, never a negative balance."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from events.models import Attendance, CharityItem, Event, PointEntry, Volunteer
from events.services.attendance import attendance_mark, attendance_set_hours, event_confirm_hours
from events.services.attendance import event_register_volunteer as register
from events.services.points import points_correct, points_redeem, volunteer_create
from tests.actors import SYSTEM
from tests.events.factories import at, make_event, make_item, make_volunteer, root
from tests.events.threads import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(pos):
    """A finished 3-hour volunteer service of branch A (registration still open until its end)."""
    return make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2025, 6, 7, 9), hours=3)


def _came(event, *volunteers):
    ids = set(Attendance.objects.filter(event=event, volunteer__in=volunteers).values_list("pk", flat=True))
    attendance_mark(event=event, actor=SYSTEM, present=ids)


def _open_registration(event):
    Event.objects.filter(pk=event.pk).update(ends_at=at(2099, 1, 1))
    event.refresh_from_db()


def test_event_confirm_hours_credits_each_volunteer_who_came_once(regions, activity):
    # given three volunteers on the list, two came
    _open_registration(activity)
    alice, bob, carol = (make_volunteer(regions.community_a1, name=n) for n in ("甲", "乙", "丙"))
    for v in (alice, bob, carol):
        register(event=activity, actor=root(), volunteer=v)
    Event.objects.filter(pk=activity.pk).update(ends_at=at(2025, 6, 7, 12))
    _came(activity, alice, bob)
    attendance_set_hours(
        attendance=activity.attendances.get(volunteer=bob), actor=SYSTEM, hours=Decimal("1.5")
    )
    # when
    credited = event_confirm_hours(event=activity, actor=SYSTEM)
    # then alice gets the event's 3 hours, bob his 1.5, carol nothing
    assert credited == 2
    alice.refresh_from_db(), bob.refresh_from_db(), carol.refresh_from_db()
    assert (alice.balance, bob.balance, carol.balance) == (30, 15, 0)
    assert PointEntry.objects.get(volunteer=alice).hours == Decimal("3.0")
    with pytest.raises(ValidationError):
        event_confirm_hours(event=activity, actor=SYSTEM)
    assert PointEntry.objects.count() == 2


def test_event_confirm_hours_capped_per_event(regions, pos, settings):
    settings.EVENTS = {**settings.EVENTS, "MAX_HOURS_PER_EVENT": 4}
    event = make_event(pos.branch_a, kind=Event.Kind.PUBLIC_WELFARE, start=at(2099, 1, 1), hours=10)
    volunteer = make_volunteer(regions.community_a1)
    register(event=event, actor=root(), volunteer=volunteer)
    Event.objects.filter(pk=event.pk).update(starts_at=at(2025, 6, 7, 8), ends_at=at(2025, 6, 7, 18))
    _came(event, volunteer)
    event_confirm_hours(event=event, actor=SYSTEM)
    assert PointEntry.objects.get().hours == Decimal("4.0")


def test_event_confirm_hours_party_meeting_refused(pos):
    with pytest.raises(ValidationError):
        event_confirm_hours(event=make_event(pos.branch_a, kind=Event.Kind.THEME_DAY), actor=SYSTEM)


def test_event_register_volunteer_full_event_refused(regions, pos):
    event = make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2099, 1, 1), capacity=1)
    register(event=event, actor=root(), volunteer=make_volunteer(regions.community_a1, name="甲"))
    with pytest.raises(ValidationError) as exc:
        register(event=event, actor=root(), volunteer=make_volunteer(regions.community_a1, name="乙"))
    assert "The event is full (1 places)." in exc.value.messages[0]


def test_event_register_volunteer_outside_window_refused(regions, pos):
    event = make_event(
        pos.branch_a,
        kind=Event.Kind.VOLUNTEER_SERVICE,
        start=at(2099, 2, 1),
        registration_opens_at=at(2099, 1, 1),
        registration_closes_at=at(2099, 1, 20),
    )
    with pytest.raises(ValidationError) as exc:
        register(event=event, actor=root(), volunteer=make_volunteer(regions.community_a1))
    assert "Registration opens at" in exc.value.messages[0]


def test_volunteer_create_duplicate_phone_refused_on_phone(regions):
    make_volunteer(regions.community_a1, phone="13900001111")
    with pytest.raises(ValidationError) as exc:
        volunteer_create(actor=root(), name="另一个", region=regions.community_b1, phone="139 0000 1111")
    assert "phone" in exc.value.error_dict


def test_volunteer_create_street_instead_of_community_refused(regions):
    with pytest.raises(ValidationError) as exc:
        volunteer_create(actor=root(), name="张三", region=regions.street_a)
    assert "region" in exc.value.error_dict


def _funded(region, points):
    volunteer = make_volunteer(region)
    points_correct(volunteer=volunteer, points=points, actor=SYSTEM, note="期初积分")
    volunteer.refresh_from_db()
    return volunteer


def test_points_redeem_takes_points_and_stock(regions):
    volunteer = _funded(regions.community_a1, 25)
    item = make_item(regions.community_a1, points=10, stock=5)
    entry = points_redeem(volunteer=volunteer, item=item, quantity=2, actor=SYSTEM)
    volunteer.refresh_from_db()
    item.refresh_from_db()
    assert (entry.points, entry.balance_after, volunteer.balance, item.stock) == (-20, 5, 5, 3)


def test_points_redeem_more_than_balance_refused(regions):
    volunteer = _funded(regions.community_a1, 15)
    item = make_item(regions.community_a1, points=10, stock=5)
    with pytest.raises(ValidationError) as exc:
        points_redeem(volunteer=volunteer, item=item, quantity=2, actor=SYSTEM)
    assert exc.value.error_dict["points"][0].code == "insufficient_points"
    volunteer.refresh_from_db()
    item.refresh_from_db()
    assert (volunteer.balance, item.stock) == (15, 5)


def test_points_redeem_more_than_stock_refused(regions):
    volunteer = _funded(regions.community_a1, 100)
    item = make_item(regions.community_a1, points=10, stock=1)
    with pytest.raises(ValidationError) as exc:
        points_redeem(volunteer=volunteer, item=item, quantity=2, actor=SYSTEM)
    assert "quantity" in exc.value.error_dict


def test_points_correct_negative_below_zero_refused(regions):
    volunteer = _funded(regions.community_a1, 5)
    with pytest.raises(ValidationError):
        points_correct(volunteer=volunteer, points=-6, actor=SYSTEM, note="多记了")
    assert PointEntry.objects.filter(volunteer=volunteer).count() == 1


def test_points_correct_without_reason_refused(regions):
    with pytest.raises(ValidationError) as exc:
        points_correct(volunteer=make_volunteer(regions.community_a1), points=5, actor=SYSTEM, note="")
    assert "note" in exc.value.error_dict


def test_point_entry_change_and_delete_refused(regions):
    volunteer = _funded(regions.community_a1, 5)
    entry = PointEntry.objects.get(volunteer=volunteer)
    entry.points = 500
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        PointEntry.objects.filter(pk=entry.pk).update(points=500)
    with pytest.raises(ValidationError):
        PointEntry.objects.filter(pk=entry.pk).delete()
    assert PointEntry.objects.get(pk=entry.pk).points == 5


def test_volunteer_negative_balance_refused_by_database(regions):
    volunteer = make_volunteer(regions.community_a1)
    with pytest.raises(IntegrityError):
        Volunteer.objects.filter(pk=volunteer.pk).update(balance=-1)


def test_charity_item_negative_stock_refused_by_database(regions):
    item = make_item(regions.community_a1)
    with pytest.raises(IntegrityError):
        CharityItem.objects.filter(pk=item.pk).update(stock=-1)


@pytest.mark.django_db(transaction=True)
def test_points_redeem_two_at_once_one_refused_balance_not_negative(regions):
    # given 10 points, an item of 10 points with stock for both
    volunteer = _funded(regions.community_a1, 10)
    item = make_item(regions.community_a1, points=10, stock=5)
    # when two counters redeem at the same moment
    results = run_at_once(2, lambda: points_redeem(volunteer=volunteer, item=item, quantity=1, actor=SYSTEM))
    # then exactly one succeeds; the other is refused for lack of points
    succeeded = [r for r in results if isinstance(r, PointEntry)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(succeeded) == 1 and len(refused) == 1, results
    assert refused[0].error_dict["points"][0].code == "insufficient_points"
    volunteer.refresh_from_db()
    item.refresh_from_db()
    assert (volunteer.balance, item.stock) == (0, 4)
    assert PointEntry.objects.filter(kind="redemption").count() == 1
