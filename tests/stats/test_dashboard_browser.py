"""The dashboard in real Chromium: every chart drawn by static/js/dashboard.js with the local ECharts,
under the site's CSP, without a console error (harness: tests/public/test_browser.py).

Each test drives its own Chromium in a thread of its own: Playwright's sync API refuses to start in
a thread where another Playwright (tests/public's session-wide browser) already runs its loop.
"""

import threading
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, Tab, log_in
from tests.browser_wait import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
playwright_api = pytest.importorskip("playwright.sync_api")

CHARTS = 6  # trend, streets, kinds, management modes, registered and filed, service centers


def _in_browser(base_url: str, body) -> None:
    """Run body(tab) in a fresh Chromium on a thread of its own; re-raise what it raised."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    failure = []

    def run():
        try:
            with playwright_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    tab = Tab(browser, base_url)
                    body(tab)
                finally:
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread below
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the browser thread did not finish within 120 s"
    if failure:
        raise failure[0]


def _charts_drawn(page) -> int:
    wait_until(page, f"document.querySelectorAll('.dash-chart canvas').length >= {CHARTS}", timeout=10)
    return page.evaluate(
        """Array.from(document.querySelectorAll('.dash-chart canvas'))
             .filter(c => c.width > 0 && c.height > 0).length"""
    )


def test_browser_portal_dashboard_draws_every_chart(live_server, site):
    def body(tab):
        log_in(tab, "browser_admin", "/admin/login/")
        tab.goto("/portal/dashboard/")

        assert _charts_drawn(tab.page) == CHARTS
        assert tab.page.locator('[data-figure="total"]').inner_text() == "3"
        tab.page.hover(".dash-chart[data-chart='bar'] canvas")  # a tooltip must not break the CSP
        tab.page.wait_for_timeout(300)
        tab.screenshot("portal-dashboard")
        assert tab.problems() == []

    _in_browser(live_server.url, body)


def test_browser_admin_index_dashboard_draws_every_chart(live_server, site):
    def body(tab):
        log_in(tab, "browser_admin", "/admin/login/")

        assert _charts_drawn(tab.page) == CHARTS
        tab.page.hover(".dash-chart[data-chart='line'] canvas")
        assert tab.page.locator("#content-main").is_visible()  # the application list is still there
        tab.screenshot("admin-index-dashboard")
        assert tab.problems() == []

    _in_browser(live_server.url, body)


def test_browser_refresh_button_shows_progress_then_the_figures(live_server, site):
    from django.utils import timezone

    from stats.models import CoverageRefresh

    district = site["regions"].district
    bar = "document.querySelector('[data-testid=refresh-status] progress')"

    def body(tab):
        log_in(tab, "browser_admin", "/admin/login/")
        # given: a refresh under way (its worker reports progress on the row)
        refresh = CoverageRefresh.objects.create(
            region=district, day=timezone.localdate(), status="running", progress=40
        )
        tab.goto("/portal/dashboard/")
        wait_until(tab.page, f"{bar}.value === 40")
        assert tab.page.locator("[data-testid=refresh-form] button").is_disabled()

        # when: the worker moves on, then finishes: the bar follows, the page reloads when done
        CoverageRefresh.objects.filter(pk=refresh.pk).update(progress=75)
        wait_until(tab.page, f"{bar}.value === 75")
        CoverageRefresh.objects.filter(pk=refresh.pk).update(
            status="done", progress=100, snapshots=3, finished_at=timezone.now()
        )
        wait_until(tab.page, "!document.querySelector('[data-refresh-status]')", timeout=10)

        # then: the button starts a new refresh (eager here), which the page shows done, dated today
        tab.page.click("[data-testid=refresh-form] button")
        wait_until(tab.page, f"{bar} && {bar}.value === 100", timeout=15)
        assert "%" in tab.page.locator("[data-testid=refresh-status]").inner_text()
        assert CoverageRefresh.objects.filter(status="done").count() == 2
        computed = tab.page.locator("[data-testid=computed-at]").inner_text()
        assert str(timezone.localdate().year) in computed
        tab.screenshot("portal-dashboard-refresh")
        assert tab.problems() == []

    _in_browser(live_server.url, body)
