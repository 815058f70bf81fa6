"""Public calendar, event pages, the iCalendar feed (read back with icalendar), QR sign-in, home block."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import qr
from events.models import Attendance, Event
from events.services.events import event_cancel
from members.models import Member
from members.services.members import phone_hash
from tests.actors import SYSTEM
from tests.events.factories import at, make_event, make_volunteer, root
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
FEED = reverse("events:feed")


def _soon(hours=1):
    return timezone.now() + dt.timedelta(hours=hours)


@pytest.fixture
def public_lecture(pos):
    return make_event(
        pos.branch_a,
        kind=Event.Kind.PARTY_LECTURE,
        title="红色讲堂：社会组织参与基层治理",
        start=_soon(24),
        is_public=True,
        place="东湖街道党群服务中心三楼; 报告厅, 201室",
        description="面向居民开放\n欢迎参加",
    )


def test_feed_parsed_by_icalendar_lists_public_events_only(pos, public_lecture):
    # given a public lecture, a private meeting and a cancelled public event
    make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING, title="支部党员大会（内部）", start=_soon(30))
    cancelled = make_event(
        pos.branch_a2, kind=Event.Kind.EXCHANGE, title="已取消的交流", start=_soon(40), is_public=True
    )
    event_cancel(event=cancelled, actor=SYSTEM)
    # when
    response = Client().get(FEED)
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["红色讲堂：社会组织参与基层治理"]
    vevent = events[0]
    assert str(vevent["LOCATION"]) == "东湖街道党群服务中心三楼; 报告厅, 201室"
    assert "面向居民开放\n欢迎参加" in str(vevent["DESCRIPTION"])
    assert vevent.decoded("DTSTART") == public_lecture.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == public_lecture.ends_at.replace(microsecond=0)
    assert str(vevent["UID"]).startswith(f"event-{public_lecture.pk}@")
    assert str(vevent["URL"]).endswith(reverse("events:detail", args=[public_lecture.pk]))


def test_feed_long_lines_folded_at_75_octets(pos):
    make_event(pos.branch_a, kind=Event.Kind.EXCHANGE, title="长" * 80, start=_soon(5), is_public=True)
    content = Client().get(FEED).content
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    summary = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"]
    assert str(summary) == "长" * 80


def test_feed_query_count_constant(pos, regions):
    from tests.members.factories import po_create

    make_event(pos.branch_a, kind=Event.Kind.EXCHANGE, start=_soon(5), is_public=True)
    with CaptureQueriesContext(connection) as one:
        Client().get(FEED)
    for i in range(5):
        po = po_create(f"支部{i}", "branch", regions.community_b2, pos.committee)
        make_event(po, kind=Event.Kind.PARTY_LECTURE, start=_soon(6 + i), is_public=True)
    with CaptureQueriesContext(connection) as six:
        Client().get(FEED)
    assert len(one) == len(six)


def test_calendar_shows_public_events_of_month_only(pos, public_lecture):
    make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, title="内部主题党日", start=public_lecture.starts_at)
    month = timezone.localtime(public_lecture.starts_at).strftime("%Y-%m")
    response = Client().get(reverse("events:calendar"), {"month": month})
    body = response.content.decode()
    assert response.status_code == 200
    assert public_lecture.title in body
    assert "内部主题党日" not in body


def test_calendar_bad_month_falls_back_to_current(pos):
    assert Client().get(reverse("events:calendar"), {"month": "2026-99"}).status_code == 200


def test_public_event_page_private_event_404(pos, public_lecture):
    private = make_event(pos.branch_a, kind=Event.Kind.GENERAL_MEETING, start=_soon(3))
    assert Client().get(reverse("events:detail", args=[public_lecture.pk])).status_code == 200
    assert Client().get(reverse("events:detail", args=[private.pk])).status_code == 404


def test_public_event_page_shows_no_attendance_or_phones(pos, public_lecture):
    member = MemberFactory(party_organization=pos.branch_a, name="王秘密", phone="13912345678")
    Attendance.objects.create(event=public_lecture, member=member, came=True)
    body = Client().get(reverse("events:detail", args=[public_lecture.pk])).content.decode()
    assert "王秘密" not in body and "13912345678" not in body


def test_home_shows_upcoming_public_events(pos, public_lecture):
    body = Client().get(reverse("public:home")).content.decode()
    assert 'data-testid="home-events"' in body
    assert public_lecture.title in body


# --- QR sign-in ---------------------------------------------------------------------------------------


@pytest.fixture
def meeting_now(pos):
    MemberFactory(party_organization=pos.branch_a, phone="13900000001")
    MemberFactory(party_organization=pos.branch_a, phone="13900000002")
    return make_event(
        pos.branch_a, kind=Event.Kind.GENERAL_MEETING, start=timezone.now() - dt.timedelta(minutes=10)
    )


def _signin_url(event):
    return qr.signin_path(event)


def _code(event, **row):
    return qr.signin_code(event, event.attendances.get(**row).pk)


def test_signin_by_phone_and_code_marks_member_came(meeting_now):
    member = Member.objects.get(phone_hash=phone_hash("13900000001"))
    data = {"phone": "139 0000 0001", "code": _code(meeting_now, member=member)}
    response = Client().post(_signin_url(meeting_now), data)
    assert response.status_code == 302
    row = meeting_now.attendances.get(member=member, came=True)
    assert (row.method, row.signed_in_at is not None) == (Attendance.Method.QR, True)
    assert meeting_now.attendances.filter(came=True).count() == 1


def test_signin_phone_oracle_listed_and_unlisted_answer_alike(meeting_now):
    # The attack: post phones to learn which are listed (and sign the absent in). Without the
    # person's code, a listed phone and an unlisted one get byte-for-byte the same page.
    listed = Client().post(_signin_url(meeting_now), {"phone": "13900000001", "code": "000000"})
    unlisted = Client().post(_signin_url(meeting_now), {"phone": "13700000000", "code": "000000"})
    assert listed.status_code == unlisted.status_code == 400

    def errors(response):
        return response.context["form"].errors.get_json_data()

    assert errors(listed) == errors(unlisted)
    assert "13900000001" not in listed.content.decode() and "13700000000" not in unlisted.content.decode()
    assert not meeting_now.attendances.filter(came=True).exists()


def test_signin_code_of_another_person_refused(meeting_now):
    other = Member.objects.get(phone_hash=phone_hash("13900000002"))
    data = {"phone": "13900000001", "code": _code(meeting_now, member=other)}
    assert Client().post(_signin_url(meeting_now), data).status_code == 400
    assert not meeting_now.attendances.filter(came=True).exists()


def test_signin_throttled_429_per_phone(meeting_now, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin_phone": "3/10m"}
    member = Member.objects.get(phone_hash=phone_hash("13900000001"))
    client, url = Client(), _signin_url(meeting_now)
    for guess in ("111111", "222222", "333333"):
        assert client.post(url, {"phone": "13900000001", "code": guess}).status_code == 400
    right = {"phone": "13900000001", "code": _code(meeting_now, member=member)}
    refused = client.post(url, right)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert not meeting_now.attendances.filter(came=True).exists()


def test_signin_throttled_429_per_address(meeting_now, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin_address": "2/10m"}
    client, url = Client(), _signin_url(meeting_now)
    for n in range(2):
        client.post(url, {"phone": f"1370000000{n}", "code": "000000"})
    assert client.post(url, {"phone": "13700000009", "code": "000000"}).status_code == 429


def test_portal_event_page_lists_each_persons_signin_code(meeting_now, secretary_a):
    client = Client()
    client.force_login(secretary_a)
    body = client.get(reverse("events_portal:detail", args=[meeting_now.pk])).content.decode()
    for row in meeting_now.attendances.all():
        assert qr.signin_code(meeting_now, row.pk) in body


def test_signin_tampered_token_404(meeting_now):
    token = qr.signin_token(meeting_now)
    assert Client().get(reverse("events:signin", args=[token[:-2] + "xx"])).status_code == 404


def test_signin_old_code_after_nonce_change_404(meeting_now):
    url = _signin_url(meeting_now)
    Event.objects.filter(pk=meeting_now.pk).update(signin_nonce="renewed")
    assert Client().get(url).status_code == 404


def test_signin_after_window_refused(pos):
    MemberFactory(party_organization=pos.branch_a, phone="13900000003")
    event = make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, start=at(2025, 3, 3))
    response = Client().post(_signin_url(event), {"phone": "13900000003", "code": "000000"})
    assert response.status_code == 400
    assert not event.attendances.filter(came=True).exists()


def test_signin_volunteer_on_list(pos, regions):
    event = make_event(pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=_soon(0.5))
    from events.services.attendance import event_register_volunteer

    volunteer = make_volunteer(regions.community_a1, phone="13600000009")
    event_register_volunteer(event=event, actor=root(), volunteer=volunteer)
    data = {"phone": "13600000009", "code": _code(event, volunteer=volunteer)}
    assert Client().post(_signin_url(event), data).status_code == 302
    assert event.attendances.get(volunteer=volunteer).came


def test_portal_qr_svg_encodes_signin_url(meeting_now, secretary_a):
    client = Client()
    client.force_login(secretary_a)
    response = client.get(reverse("events_portal:qr", args=[meeting_now.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content


def test_public_nav_links_events_calendar(db):
    body = Client().get(reverse("public:home")).content.decode()
    assert f'href="{reverse("events:calendar")}"' in body


def test_feed_any_host_same_uids_and_shanghai_times_with_vtimezone(client, public_lecture, settings):
    # given: the site reached under two host names
    settings.SITE_DOMAIN = "dangjian.example.cn"
    settings.ALLOWED_HOSTS = ["testserver", "other.example.cn"]

    # when
    first = icalendar.Calendar.from_ical(client.get("/events/feed.ics").content)
    second = icalendar.Calendar.from_ical(
        client.get("/events/feed.ics", HTTP_HOST="other.example.cn").content
    )

    # then: the UIDs do not follow the Host header …
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [f"event-{public_lecture.pk}@dangjian.example.cn"]
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    # … and the times are Shanghai times defined by a VTIMEZONE
    (timezone_block,) = first.walk("VTIMEZONE")
    assert str(timezone_block["TZID"]) == "Asia/Shanghai"
    (event,) = first.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTSTART") == public_lecture.starts_at.replace(microsecond=0)
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=8)


def test_sitemap_lists_public_events_and_alliances_and_robots_names_it(client, public_lecture):
    from xml.etree import ElementTree

    from tests.alliances.factories import AllianceFactory

    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    alliance = AllianceFactory(is_public=True)

    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = set()
    for section in index.findall("s:sitemap/s:loc", namespace):
        urlset = ElementTree.fromstring(client.get(str(section.text).split("testserver", 1)[1]).content)
        urls |= {str(loc.text).split("testserver", 1)[1] for loc in urlset.findall("s:url/s:loc", namespace)}

    assert f"/events/{public_lecture.pk}/" in urls
    assert f"/alliances/{alliance.pk}/" in urls
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    lines = robots.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
