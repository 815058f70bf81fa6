"""Public sign-up in real Chromium, up to the waiting list: two people take the two places, the third
joins the waiting list, then the first cancels by their private link and the third moves up."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from tests.browser_thread import in_browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_event(db):
    from events.models import Event
    from tests.events.factories import make_event
    from tests.members.factories import build_po_tree
    from tests.orgs.factories import build_region_tree

    pos = build_po_tree(build_region_tree())
    start = timezone.now() + dt.timedelta(days=6)
    return make_event(
        pos.branch_a,
        kind=Event.Kind.VOLUNTEER_SERVICE,
        start=start,
        title="周末社区清洁行动",
        is_public=True,
        capacity=2,
        registration_opens_at=timezone.now() - dt.timedelta(hours=1),
        registration_closes_at=start - dt.timedelta(days=1),
    )


def _sign_up(tab, event_pk: int, name: str, phone: str) -> str:
    tab.goto(f"/events/{event_pk}/")
    tab.page.click('[data-testid="signup-link"]')
    tab.page.fill('input[name="name"]', name)
    tab.page.fill('input[name="phone"]', phone)
    tab.page.click('[data-testid="signup"] button[type="submit"]')
    tab.page.wait_for_selector('[data-testid="signup-status"]')
    return tab.page.url


def test_browser_public_signup_up_to_the_waiting_list(live_server, public_event):
    from events.models import SignUp

    def body(tab):
        first = _sign_up(tab, public_event.pk, "王小明", "13900001111")
        assert tab.page.get_attribute('[data-testid="signup-status"]', "data-status") == "confirmed"
        assert "王小明" not in tab.page.content() and "13900001111" not in tab.page.content()
        _sign_up(tab, public_event.pk, "李小红", "13900002222")
        # the event is now full: the page says so and offers the waiting list
        tab.goto(f"/events/{public_event.pk}/signup/")
        assert tab.page.locator("[data-testid=places-left]").count() == 1
        third = _sign_up(tab, public_event.pk, "张小华", "13900003333")
        assert tab.page.get_attribute('[data-testid="signup-status"]', "data-status") == "waiting"
        tab.screenshot("public-signup-waiting")
        # the first person cancels by their link; the third moves up
        tab.page.goto(first)
        tab.page.click('[data-testid="signup-status"] button[type="submit"]')
        tab.page.wait_for_selector('[data-testid="signup-status"][data-status="cancelled"]')
        tab.page.goto(third)
        assert tab.page.get_attribute('[data-testid="signup-status"]', "data-status") == "confirmed"
        assert tab.problems() == []

    in_browser(live_server.url, body)
    assert sorted(SignUp.objects.values_list("status", flat=True)) == ["cancelled", "confirmed", "confirmed"]
