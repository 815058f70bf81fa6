"""The public site, the portal and the admin in real Chromium (Playwright's sync API, system browser).

Each test drives Debian's /usr/bin/chromium (never `playwright install`: no downloads) against
pytest-django's live server, fails on any console error, uncaught page error or CSP violation,
and saves a screenshot to artifacts/screenshots/. Media files are answered from MEDIA_ROOT by a
route (the live server serves static files only; nginx serves media in production).

Playwright's sync API runs an event loop in this thread, so Django's async-safety guard must be
told that the ORM calls of the fixtures are fine (DJANGO_ALLOW_ASYNC_UNSAFE).
"""

import os
import re

import pytest
from django.conf import settings

from tests.browser import PASSWORD, log_in
from tests.browser_wait import wait_until

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

playwright_api = pytest.importorskip("playwright.sync_api")


def test_browser_home_shows_news_showcases_and_figures(tab, site):
    desktop = tab()
    desktop.goto("/")
    page = desktop.page
    assert page.title().endswith(settings.FEDERATION_NAME)
    assert page.locator(".home-news .article-card").count() == 6
    assert page.locator(".showcase-grid .article-card").count() == 4
    assert page.locator(".coverage-headline .figure").count() == 5
    cover = page.locator(".home-news img.article-cover").first
    cover.scroll_into_view_if_needed()
    wait_until(page, "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle())
    desktop.screenshot("home")
    assert desktop.problems() == []

    phone = tab(viewport={"width": 390, "height": 844})
    phone.goto("/")
    nav = phone.page.locator("#site-nav")
    assert not nav.is_visible()
    phone.page.click("[data-nav-toggle]")
    assert nav.is_visible()
    phone.screenshot("home-phone")
    assert phone.problems() == []


def test_browser_article_opened_from_home_shows_body_and_cover(tab, site):
    browser_tab = tab()
    browser_tab.goto("/")
    link = browser_tab.page.locator(".home-news .article-card h3 a").first
    title = link.inner_text()
    with browser_tab.page.expect_navigation():
        link.click()
    page = browser_tab.page
    assert re.search(r"/news/\d+/$", page.url)
    assert page.locator("h1").inner_text() == title
    assert page.locator(".article-body p").count() >= 2
    wait_until(
        page,
        "() => { const i = document.querySelector('img.article-cover'); return i && i.naturalWidth > 0; }",
    )
    browser_tab.screenshot("article")
    assert browser_tab.problems() == []


def test_browser_directory_filter_by_kind(tab, site):
    browser_tab = tab()
    browser_tab.goto("/orgs/")
    page = browser_tab.page
    assert page.locator(".org-list .org-item").count() == 3
    page.select_option("#id_kind", "social_group")
    with page.expect_navigation():
        page.locator("form.directory-filters button[type=submit]").click()
    assert "kind=social_group" in page.url
    names = page.locator(".org-list h2").all_inner_texts()
    assert names == ["示范区志愿者协会"]
    browser_tab.screenshot("directory-filtered")
    assert browser_tab.problems() == []


def test_browser_secretary_logs_in_and_sees_own_branch(tab, site):
    browser_tab = tab()
    log_in(browser_tab, "browser_secretary")
    page = browser_tab.page
    assert page.url.endswith("/portal/")
    browser_tab.screenshot("portal-home")
    browser_tab.goto("/portal/branch/")
    assert site["branch"].name in page.content()
    browser_tab.screenshot("portal-branch")
    assert browser_tab.problems() == []


def test_browser_staff_admin_index(tab, site):
    # The dashboard's charts (admin home and /portal/dashboard/) are drawn and checked in real
    # Chromium by tests/reminders/test_dashboard_browser.py; this one checks the admin shell.
    browser_tab = tab()
    log_in(browser_tab, "browser_admin", "/admin/login/")
    page = browser_tab.page
    assert page.url.endswith("/admin/")
    assert page.locator("#content").is_visible()
    browser_tab.screenshot("admin-index")
    assert browser_tab.problems() == []


def test_browser_admin_article_editor_writes_sanitised_article(tab, site):
    from news.models import Article

    browser_tab = tab()
    log_in(browser_tab, "browser_admin", "/admin/login/")
    browser_tab.goto("/admin/news/article/add/")
    page = browser_tab.page
    editor = page.locator(".ql-editor")
    editor.wait_for()
    assert not page.locator("#id_body").is_visible()  # the editor replaces the textarea
    page.fill("#id_title", "浏览器测试文章")
    editor.click()
    page.keyboard.type("第一段文字")
    page.keyboard.press("Control+a")
    page.locator(".ql-toolbar button.ql-bold").click()
    browser_tab.screenshot("admin-article-editor")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    article = Article.objects.get(title="浏览器测试文章")
    assert article.body == "<p><strong>第一段文字</strong></p>"
    assert browser_tab.problems() == []


# Two-factor login (accounts.two_factor): a staff member enrols with the QR page, then needs the code.
@pytest.fixture
def officer(db):
    from accounts.models import Role, User
    from tests.orgs.factories import build_region_tree

    regions = build_region_tree()
    return User.objects.create_user(
        username="browser_officer",
        password=PASSWORD,
        role=Role.STAFF,
        is_staff=True,
        scope_region=regions.district,
    )


def _submit(page):
    with page.expect_navigation():
        page.locator("main form [type=submit], .card form [type=submit]").first.click()


def _code_for(secret: str) -> str:
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_browser_staff_enrols_then_needs_the_code_at_each_login(tab, officer):
    # given: a staff member without a device logs in with the password
    first = tab()
    first.goto("/admin/login/")
    page = first.page
    page.fill("#id_username", "browser_officer")
    page.fill("#id_password", PASSWORD)
    _submit(page)

    # then: the enrolment page, with a QR code drawn on the server and the key
    assert "/accounts/otp/enrol/" in page.url
    assert page.locator("[data-testid=otp-qr] svg").is_visible()
    first.screenshot("otp-enrol")
    secret = page.locator("[data-testid=otp-secret]").inner_text()
    page.fill("#id_code", _code_for(secret))
    _submit(page)
    assert page.locator("[data-testid=otp-recovery-codes] li").count() == 10
    first.screenshot("otp-recovery-codes")
    recovery = page.locator("[data-testid=otp-recovery-codes] li code").first.inner_text()
    with page.expect_navigation():
        page.locator("[data-testid=otp-recovery-codes] a.button").click()
    assert page.url.endswith("/admin/")
    assert first.problems() == []

    # when: a second browser logs in with the password only
    second = tab()
    second.goto("/admin/login/")
    page = second.page
    page.fill("#id_username", "browser_officer")
    page.fill("#id_password", PASSWORD)
    _submit(page)
    assert "/accounts/otp/verify/" in page.url
    second.goto("/admin/")
    assert "/accounts/otp/verify/" in page.url  # nothing but the code page
    second.screenshot("otp-verify")

    # then: a recovery code opens the admin
    page.fill("#id_code", recovery)
    _submit(page)
    assert page.url.endswith("/admin/")
    assert second.problems() == []
