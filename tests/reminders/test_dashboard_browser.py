"""The dashboard in real Chromium: every chart drawn by static/js/dashboard.js with the local ECharts,
under the site's CSP, without a console error (harness: tests/public/test_browser.py)."""

import pytest

from tests.public.test_browser import _log_in, chromium, site, tab  # noqa: F401 - fixtures and helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = 4  # trend, streets, kinds, management modes


def _charts_drawn(page) -> int:
    page.wait_for_function(
        f"document.querySelectorAll('.dash-chart canvas').length >= {CHARTS}", timeout=10_000
    )
    return page.evaluate(
        """Array.from(document.querySelectorAll('.dash-chart canvas'))
             .filter(c => c.width > 0 && c.height > 0).length"""
    )


def test_browser_portal_dashboard_draws_every_chart(tab, site):  # noqa: F811
    browser_tab = tab()
    _log_in(browser_tab, "browser_admin", "/admin/login/")

    browser_tab.goto("/portal/dashboard/")

    assert _charts_drawn(browser_tab.page) == CHARTS
    assert browser_tab.page.locator('[data-figure="total"]').inner_text() == "3"
    browser_tab.page.hover(".dash-chart[data-chart='bar'] canvas")  # a tooltip must not break the CSP
    browser_tab.page.wait_for_timeout(300)
    browser_tab.screenshot("portal-dashboard")
    assert browser_tab.problems() == []


def test_browser_admin_index_dashboard_draws_every_chart(tab, site):  # noqa: F811
    browser_tab = tab()
    _log_in(browser_tab, "browser_admin", "/admin/login/")

    assert _charts_drawn(browser_tab.page) == CHARTS
    browser_tab.page.hover(".dash-chart[data-chart='line'] canvas")
    assert browser_tab.page.locator("#content-main").is_visible()  # the application list is still there
    browser_tab.screenshot("admin-index-dashboard")
    assert browser_tab.problems() == []
