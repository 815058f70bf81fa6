"""Run a browser test body in a fresh Chromium on a thread of its own (harness: tests/public/test_browser.py).

Playwright's sync API refuses to start in a thread where another Playwright (tests/public's
session-wide browser) already runs its loop, so each such test gets its own thread and browser.
"""

import threading
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, Tab


def in_browser(base_url: str, body, *, viewport: dict | None = None, timeout: float = 180) -> None:
    """Run body(tab) in a fresh Chromium; re-raise in the test's thread what it raised."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    failure = []

    def run():
        try:
            with playwright_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    tab = Tab(browser, base_url, viewport=viewport)
                    body(tab)
                finally:
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread below
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=timeout)
    assert not thread.is_alive(), f"the browser thread did not finish within {timeout} s"
    if failure:
        raise failure[0]
