"""Browser-test helpers: the system Chromium, a tab that records what went wrong, the login steps.

The fixtures (`chromium`, `tab`, `site`) are in tests/conftest.py. Playwright's sync API runs an event
loop in this thread, so Django's async-safety guard must be told that the ORM calls of the fixtures are
fine (DJANGO_ALLOW_ASYNC_UNSAFE).
"""

import os
import re
from pathlib import Path

from django.conf import settings

from tests.browser_wait import wait_until

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
PASSWORD = "Browser-Test-2026!"
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


class Tab:
    """One browser tab that records what went wrong on it."""

    def __init__(self, browser, base_url: str, *, viewport=None):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN"
        )
        self.context.add_init_script(CSP_LISTENER)
        self.context.route(re.compile(r".*/media/.*"), self._serve_media)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _serve_media(self, route):
        relative = route.request.url.split("/media/", 1)[1].split("?")[0]
        path = Path(settings.MEDIA_ROOT) / relative
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="missing")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        return response

    def problems(self) -> list[str]:
        csp = self.page.evaluate("window.__cspViolations || []")
        return self.errors + [f"CSP violation: {v}" for v in csp]

    def screenshot(self, name: str):
        # A full-page picture: load the lazy images below the fold first.
        self.page.evaluate(
            "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
        )
        wait_until(self.page, "Array.from(document.images).every(i => i.complete)")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


_browser_codes = iter(())


def use_recovery_codes(codes) -> None:
    """The superuser's second factor for this test: one recovery code per `log_in`."""
    global _browser_codes
    _browser_codes = iter(codes)


def log_in(tab_: Tab, username: str, path: str = "/accounts/login/"):
    """The password form, then, for an account that needs it, the second-factor form (a recovery code)."""
    tab_.goto(path)
    tab_.page.fill("#id_username", username)
    tab_.page.fill("#id_password", PASSWORD)
    with tab_.page.expect_navigation():
        tab_.page.locator("form [type=submit]").first.click()
    if "/accounts/otp/verify/" in tab_.page.url:
        tab_.page.fill("#id_code", next(_browser_codes))
        with tab_.page.expect_navigation():
            tab_.page.locator("form [type=submit]").first.click()
