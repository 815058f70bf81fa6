"""The public calendar's day page (where a crowded day's "More…" link leads) and its bad input."""

import pytest

from events.calendar_grid import parse_day
from events.models import Event
from tests.events.factories import at, make_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["", "garbage", "2026-13-01", "1999-05-01", "2026-02-30"])
def test_parse_day_refuses_bad_values(raw):
    assert parse_day(raw) is None


def test_calendar_bad_day_shows_the_month(client, regions):
    response = client.get("/events/", {"day": "not-a-day"})
    assert response.status_code == 200
    assert "weeks" in response.context


def test_calendar_day_page_lists_only_that_days_public_events(client, pos):
    make_event(
        pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2025, 3, 4, 8), is_public=True, title="当天"
    )
    make_event(
        pos.branch_a, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2025, 3, 5, 8), is_public=True, title="次日"
    )
    make_event(pos.branch_a, kind=Event.Kind.THEME_DAY, start=at(2025, 3, 4, 9), title="内部会议")
    html = client.get("/events/", {"day": "2025-03-04"}).content.decode()
    assert "当天" in html and "次日" not in html and "内部会议" not in html
    assert 'href="?month=2025-03"' in html
