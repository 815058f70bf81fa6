"""Phone width (375 px) in real Chromium: no page wider than the screen, no table cell or calendar
label squeezed to one character per line (issue 14: members, transfers, the event calendar)."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from tests.actors import SYSTEM
from tests.browser import PASSWORD
from tests.browser_thread import in_browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
LONG_NAME = "东湖街道恒善嘉禾体育健身俱乐部等联合党支部"

OVERFLOW = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# Visible data-table cells narrower than 5 em: the "one character per line" columns of the issue.
NARROW_CELLS = """() => Array.from(document.querySelectorAll('.data-table td'))
  .filter(td => td.offsetParent !== null && !td.hasAttribute('colspan'))
  .filter(td => td.getBoundingClientRect().width < 5 * parseFloat(getComputedStyle(td).fontSize))
  .map(td => td.innerText.slice(0, 20))"""
# Calendar labels taller than two lines of text.
TALL_LABELS = """() => Array.from(document.querySelectorAll('.month-grid li > *'))
  .filter(e => e.getBoundingClientRect().height > 2.5 * parseFloat(getComputedStyle(e).fontSize))
  .map(e => e.innerText.slice(0, 20))"""


@pytest.fixture
def branch_with_transfers(db):
    from accounts.models import Role, User
    from events.models import Event
    from members.services.transfers import transfer_send
    from tests.events.factories import make_event
    from tests.members.factories import MemberFactory, build_po_tree
    from tests.orgs.factories import build_region_tree

    pos = build_po_tree(build_region_tree())
    pos.branch_a.name = LONG_NAME
    pos.branch_a.save(update_fields=["name"])
    for n in range(4):
        MemberFactory(party_organization=pos.branch_a, name=f"党员{n}")
    for n in range(2):
        sender = MemberFactory(party_organization=pos.branch_b, name=f"转入{n}")
        transfer_send(
            member=sender,
            to_party_organization=pos.branch_a,
            sent_on=timezone.localdate() - dt.timedelta(days=2),
            letter_number=f"示组转〔2026〕{390 + n}号",
            actor=SYSTEM,
        )
    start = timezone.now().replace(hour=9, minute=0) + dt.timedelta(days=3)
    make_event(
        pos.branch_a,
        kind=Event.Kind.VOLUNTEER_SERVICE,
        start=start,
        title="红色讲堂：社会组织与基层治理",
        is_public=True,
        capacity=30,
        registration_opens_at=timezone.now() - dt.timedelta(hours=1),
        registration_closes_at=start - dt.timedelta(hours=12),
    )
    User.objects.create_user(
        username="phone_secretary", password=PASSWORD, role=Role.SECRETARY, party_organization=pos.branch_a
    )
    return pos


def test_phone_portal_member_pages_and_calendar_fit_the_screen(live_server, branch_with_transfers):
    from events.models import Event

    event = Event.objects.get(is_public=True)
    month = f"{timezone.localtime(event.starts_at):%Y-%m}"
    pages = [
        "/portal/members/",
        "/portal/members/transfers/",
        f"/portal/events/{event.pk}/signups/",
        f"/events/?month={month}",
        f"/events/{event.pk}/signup/",
    ]

    def body(tab):
        tab.goto("/accounts/login/")
        tab.page.fill("#id_username", "phone_secretary")
        tab.page.fill("#id_password", PASSWORD)
        with tab.page.expect_navigation():
            tab.page.locator("form [type=submit]").first.click()
        for path in pages:
            tab.goto(path)
            scroll, client = tab.page.evaluate(OVERFLOW)
            assert scroll <= client, f"{path} is {scroll} px wide on a {client} px screen"
            assert tab.page.evaluate(NARROW_CELLS) == [], path
            assert tab.page.evaluate(TALL_LABELS) == [], path
        tab.goto("/portal/members/transfers/")
        incoming = tab.page.locator("[data-testid=incoming]")
        assert incoming.locator("text=转入0").is_visible()
        assert incoming.locator("button[type=submit]").first.is_visible()
        tab.screenshot("phone-transfers")
        tab.goto(f"/events/?month={month}")
        assert tab.page.locator(".month-grid .cal-time").first.is_visible()
        tab.screenshot("phone-calendar")
        assert tab.problems() == []

    in_browser(live_server.url, body, viewport=PHONE)
