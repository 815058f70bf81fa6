"""axe-core in real Chromium: no serious or critical accessibility violation on the public site,
the portal and the admin (zh-hans, the project catalogue loaded).

axe-core comes from npm (`make browser` puts it in node_modules/); it is evaluated in the page
through Playwright (CDP), which the page's CSP does not govern, so the page itself stays as
served.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import log_in
from tests.standards import summary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# Moderate in axe's scale, but each landmark must be told apart by a screen-reader user.
ALSO_BLOCKING_RULES = {"landmark-unique"}
PUBLIC = ["/", "/news/", "/orgs/", "/events/", "/alliances/", "/search/?q=社会组织", "/accounts/login/"]
PORTAL = ["/portal/", "/portal/inbox/", "/portal/branch/"]
ADMIN = ["/admin/", "/admin/orgs/organization/", "/admin/orgs/organization/add/", "/admin/news/article/"]


def _violations(browser_tab, path: str) -> list[str]:
    browser_tab.goto(path)
    page = browser_tab.page
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{path}: {v['id']} ({v['impact']}) ×{len(v['nodes'])}: {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING_RULES
    ]


def test_axe_public_portal_admin_no_serious_or_critical(tab, site, project_catalogue):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser` (npm install axe-core)")
    found = []
    public = tab()
    for path in PUBLIC:
        found += _violations(public, path)
    secretary = tab()
    log_in(secretary, "browser_secretary")
    for path in PORTAL:
        found += _violations(secretary, path)
    admin = tab()
    log_in(admin, "browser_admin", "/admin/login/")
    for path in ADMIN:
        found += _violations(admin, path)
    summary.record("axe serious+critical (and landmark-unique)", len(found))
    assert not found, "\n".join(found)
