"""Two-factor login in real Chromium: a staff member enrols with the QR page, then logs in with the code."""

import pytest

from tests.public.test_browser import PASSWORD, chromium, tab  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_browser_staff_enrols_then_needs_the_code_at_each_login(tab, officer):  # noqa: F811
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
