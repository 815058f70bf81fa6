"""Shared fixtures: a small district tree and one user per role (DESIGN.md's role table)."""

import pytest
from django.core.cache import cache

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.orgs.factories import RegionTree, build_region_tree
from tests.security.url_record import (  # noqa: F401  (hooks: the URL gate's record of requested routes)
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_deselected,
    pytest_runtest_setup,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counts (accounts.ratelimit)
    never leak."""
    cache.clear()


@pytest.fixture(autouse=True)
def _otp_verified_test_logins(request, monkeypatch):
    """`force_login` and `login` of the test client stand for a complete login: password and second factor.

    Staff and superusers need a second factor (accounts.two_factor); the suite's many
    `client.force_login(staff)` would otherwise all land on the code page. Tests of the second
    factor itself log in through the real forms, or mark themselves `otp_unverified`.
    """
    if request.node.get_closest_marker("otp_unverified"):
        return
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = "tests.force_login"
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def regions(db) -> RegionTree:
    """District 330499 with streets 001 and 002, each with two communities."""
    return build_region_tree()


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True, username="root")


@pytest.fixture
def district_staff(regions):
    return UserFactory(role=Role.STAFF, is_staff=True, scope_region=regions.district, username="district")


@pytest.fixture
def street_staff(regions):
    """Staff of street A: sees street A's subtree only."""
    return UserFactory(role=Role.STAFF, is_staff=True, scope_region=regions.street_a, username="street_a")


@pytest.fixture
def other_street_staff(regions):
    return UserFactory(role=Role.STAFF, is_staff=True, scope_region=regions.street_b, username="street_b")


@pytest.fixture
def secretary(db):
    return UserFactory(role=Role.SECRETARY, username="secretary")


@pytest.fixture
def org_contact(db):
    return UserFactory(role=Role.ORG_CONTACT, username="contact")


@pytest.fixture
def role_users(superuser, district_staff, street_staff, other_street_staff, secretary, org_contact):
    """Every role by name, for role × view matrices (see tests/access.py)."""
    return {
        "superuser": superuser,
        "district_staff": district_staff,
        "street_staff": street_staff,
        "other_street_staff": other_street_staff,
        "secretary": secretary,
        "org_contact": org_contact,
        "anonymous": None,
    }


@pytest.fixture
def project_catalogue(settings):
    """Load the project's zh_Hans catalogue (test settings leave it out; see config/settings/test.py)."""
    settings.LOCALE_PATHS = [settings.BASE_DIR / "locale"]
    yield


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for every browser test of the session that asks for it (tests/public,
    tests/standards): Playwright's sync API runs an event loop on this thread, and a second one
    started beside it would fail."""
    from pathlib import Path

    from tests.public.test_browser import CHROMIUM, CHROMIUM_ARGS, playwright_api

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium fonts-noto-cjk)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
