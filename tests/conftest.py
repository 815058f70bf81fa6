"""Shared fixtures: a small district tree and one user per role (DESIGN.md's role table)."""

import datetime as dt
import logging

import pytest
from django.core.cache import cache

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.demo_db import (  # noqa: F401  (fixtures: the session's shared seeded demo district)
    _demo_database,
    _demo_database_switch,
    _django_db_helper,
    demo_db,
)
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

    original = ClientMixin._login  # type: ignore[attr-defined]  # Django's private login helper

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

    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium fonts-noto-cjk)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium, live_server):
    from tests import browser  # its import lets the ORM run beside Playwright's event loop

    opened = []

    def open_tab(**kwargs) -> browser.Tab:
        new = browser.Tab(chromium, live_server.url, **kwargs)
        opened.append(new)
        return new

    yield open_tab
    for each in opened:
        each.close()


@pytest.fixture
def site(db):
    """A small district with public orgs, the demo articles (with covers), a coverage snapshot,
    a branch with its secretary, and a superuser."""
    from accounts.models import Role, User
    from news.demo import seed_articles
    from stats.snapshots import coverage_snapshots_write
    from tests import browser
    from tests.branches.factories import CoverageLinkFactory, PartyOrganizationFactory
    from tests.orgs.factories import OrganizationFactory, build_region_tree

    regions = build_region_tree()
    orgs = [
        OrganizationFactory(name="东湖街道阳光社工服务中心", region=regions.community_a1),
        OrganizationFactory(name="钟埭街道乐龄居家养老服务中心", region=regions.community_b1),
        OrganizationFactory(name="示范区志愿者协会", kind="social_group", region=regions.street_a),
    ]
    branch = PartyOrganizationFactory(name="东湖街道阳光社工服务中心党支部", region=regions.community_a1)
    CoverageLinkFactory(party_organization=branch, organization=orgs[0], since=dt.date(2020, 1, 1))
    seed_articles()
    coverage_snapshots_write(regions=[regions.district], day=dt.date.today() - dt.timedelta(days=1))
    secretary = User.objects.create_user(
        username="browser_secretary",
        password=browser.PASSWORD,
        role=Role.SECRETARY,
        party_organization=branch,
    )
    admin = User.objects.create_superuser(
        username="browser_admin", password=browser.PASSWORD, email="root@example.cn"
    )
    # The superuser's second factor: one recovery code per login of the test (see log_in).
    from accounts.two_factor.services import otp_recovery_codes_issue

    browser.use_recovery_codes(
        otp_recovery_codes_issue(user=admin, codes=[f"browser-{n:03d}" for n in range(20)])
    )
    return {"regions": regions, "orgs": orgs, "branch": branch, "secretary": secretary, "admin": admin}


@pytest.fixture
def redis_celery_app(settings):
    """The project's Celery app on TEST_REDIS_URL with eager off, for this test only."""
    import redis

    from config.celery_app import app
    from tests.broker import (
        BROKER_CONF,
        KOMBU_POOL_GROUPS,
        close_pools_created_since,
        forget_cached_connections,
    )

    url = settings.TEST_REDIS_URL
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # Redis down: ConnectionError, loudly
    saved_conf = {key: app.conf[key] for key in BROKER_CONF}
    known_pools = [list(dict.keys(group)) for group in KOMBU_POOL_GROUPS]
    root = logging.getLogger()
    saved_logging = (root.level, root.handlers[:])  # the embedded worker reconfigures the root logger
    forget_cached_connections(app)
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        yield app
    finally:
        forget_cached_connections(app)
        close_pools_created_since(known_pools)
        app.conf.update(saved_conf)
        app.set_current()
        root.setLevel(saved_logging[0])
        root.handlers[:] = saved_logging[1]
