"""events test data: written through events.services (actor None is the system), on the members' PoTree."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from events.models import CharityItem, CharitySupermarket, Event, Room, ServiceCenter
from events.services.attendance import attendance_mark
from events.services.centers import room_create, service_center_create
from events.services.events import event_create
from events.services.points import volunteer_create
from tests.actors import SYSTEM

TZ = timezone.get_fixed_timezone(8 * 60)


def at(year, month, day, hour=9, minute=0) -> dt.datetime:
    """An aware datetime in Asia/Shanghai (UTC+8 all year)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def make_event(
    po=None,
    *,
    kind=Event.Kind.THEME_DAY,
    start=None,
    hours=2,
    held=False,
    organization=None,
    alliance=None,
    actor=SYSTEM,
    **extra,
):
    from events.services.events import event_record_held

    start = start or at(2025, 3, 3)
    event = event_create(
        actor=actor,
        kind=kind,
        title=extra.pop("title", f"{Event.Kind(kind).label} {start:%Y-%m-%d}"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        party_organization=po,
        organization=organization,
        alliance=alliance,
        **extra,
    )
    if held:
        event = event_record_held(event=event, actor=SYSTEM, minutes="会议记录：学习并讨论。")
    return event


def make_volunteer(region, name="李志愿", phone="", actor=None, **extra):
    """Registered by `actor`, or by a superuser (the service takes no None actor)."""
    return volunteer_create(actor=actor or root(), name=name, region=region, phone=phone, **extra)


def make_center(region, *, level=ServiceCenter.Level.COMMUNITY, name="和平社区党群服务中心") -> ServiceCenter:
    return service_center_create(actor=SYSTEM, name=name, level=level, region=region, address="和平路1号")


def make_room(center, *, name="多功能厅", capacity=40) -> Room:
    return room_create(
        actor=SYSTEM,
        center=center,
        name=name,
        capacity=capacity,
        facilities="投影仪, 音响",
        opens_at=dt.time(8, 0),
        closes_at=dt.time(21, 0),
        open_weekdays="1234567",
    )


def make_item(region, *, name="大米5kg", points=10, stock=5) -> CharityItem:
    shop = CharitySupermarket.objects.create(name="爱心超市", region=region)
    return CharityItem.objects.create(supermarket=shop, name=name, points=points, stock=stock)


def next_slot(days_ahead=3, hour=10, hours=2) -> tuple[dt.datetime, dt.datetime]:
    """A future slot inside the default opening hours (08:00-21:00, every day)."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())
    return start, start + dt.timedelta(hours=hours)


HOURS = Decimal


def root():
    """A superuser to act as, where a test is not about who acts (services take no None actor)."""
    from tests.accounts.factories import UserFactory

    return UserFactory(is_superuser=True, is_staff=True)


def mark_came(session, member, actor) -> None:
    """Mark `member` present at the party-class `session` (as `actor`)."""
    row = session.event.attendances.get(member=member)
    attendance_mark(event=session.event, actor=actor, present={row.pk})
