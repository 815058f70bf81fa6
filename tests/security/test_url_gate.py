"""Gate (a) of issue 13: every URL pattern of the project is walked; a non-public one must refuse an
anonymous visitor (a redirect to a login page, 401 or 403) for GET and for POST.

PUBLIC lists, by name, what anyone may open. A new route is non-public unless added there, so
forgetting `login_required` on a new view fails this test. The counts go to the terminal.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.orgs.factories import build_region_tree
from tests.security.url_record import Record, whole_suite_reason
from tests.security.url_walk import SAMPLES, Route, walk

pytestmark = pytest.mark.django_db

# Open to anyone by design (DESIGN.md: public pages and the public API; the login flows).
PUBLIC = re.compile(
    r"^("
    r"public:.*|news:.*|directory:.*|events:.*|alliances:.*"  # public pages, feeds, the QR sign-in
    r"|healthz|robots|media|set_language|i18n/.*"  # media: config.media answers per row
    r"|accounts:(login|logout|password_reset.*|password_reset_done|password_reset_confirm|password_reset_complete)"
    r"|admin:(login|logout|password_reset.*|jsi18n|view_on_site|javascript-catalog)"
    r"|api-token|api-schema|api-docs"
    r"|alliance-(list|detail)|venture-round-(list|detail)"  # the public API (AllowAny, for_public)
    r"|static/.*|media/.*"
    r")$"
)
REFUSED = {401, 403}
# Patterns no test client can request, with the reason (the "every route requested" gate skips them).
NOT_REQUESTABLE: dict[str, str] = {}


def _refuses(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302):
        return "login" in response.get("Location", "")
    return False


def test_every_non_public_route_refuses_anonymous(capsys):
    routes = walk()
    public = [r for r in routes if PUBLIC.match(r.name)]
    guarded = [r for r in routes if not PUBLIC.match(r.name)]
    client = Client(enforce_csrf_checks=False)
    failures = []
    for route in guarded:
        answers = {}
        for method in ("get", "post"):
            response = getattr(client, method)(route.path)
            answers[method] = response.status_code
            if response.status_code == 405:
                continue  # that method is not served at all
            if not _refuses(response):
                failures.append(f"{route.name} {method.upper()} {route.path} → {response.status_code}")
    with capsys.disabled():
        print(
            f"\nURL gate: {len(routes)} routes, {len(public)} public, {len(guarded)} non-public, "
            f"{len(guarded) - len({f.split()[0] for f in failures})} shown to refuse anonymous users"
        )
    assert failures == [], "\n".join(failures)


# --- an out-of-scope role (issue 13, gate (a)) ------------------------------------------------------
# Another district (330599) holds one object of each main kind, every one named with MARKER; users of
# district 330499 (a secretary, an org contact, district staff) request every non-public route with
# each of those objects' ids in every integer slot. No answer may show MARKER or be a server error;
# refusals (404/403/401/405, a redirect to the login) are counted. Routes where another district's
# data is visible by design are listed in SHARED with the reason.
MARKER = "外区样本"
SHARED = re.compile(r"^$")  # none so far
DENIED = {401, 403, 404, 405}


def _foreign_world() -> list[int]:
    """Objects of district 330599 (MARKER in their names); returns their distinct ids."""
    from events.models import Event
    from tests.events.factories import make_event, make_volunteer
    from tests.members.factories import MemberFactory, po_create
    from tests.orgs.factories import OrganizationFactory

    tree = build_region_tree("330599")
    org = OrganizationFactory(
        name=f"{MARKER}社会组织", registration="filed", kind="community", region=tree.community_a1
    )
    committee = po_create(f"{MARKER}综合党委", "comprehensive_committee", tree.district)
    branch = po_create(f"{MARKER}支部", "branch", tree.community_a1, committee)
    member = MemberFactory(name=f"{MARKER}党员", party_organization=branch, phone="13955550000")
    event = make_event(branch, title=f"{MARKER}活动", kind=Event.Kind.THEME_DAY)
    volunteer = make_volunteer(tree.community_a1, name=f"{MARKER}志愿者")
    objects = [
        tree.district,
        tree.street_a,
        tree.community_a1,
        org,
        committee,
        branch,
        member,
        event,
        volunteer,
    ]
    return sorted({o.pk for o in objects})


def _fill(route: Route, pk: int) -> str | None:
    """The route's sample path with `pk` in every integer slot (None: no integer slot)."""
    if route.path is None or SAMPLES["int"] not in route.path:
        return None
    return route.path.replace(SAMPLES["int"], str(pk))


def test_every_non_public_route_refuses_an_out_of_scope_role(regions, capsys, settings):
    from accounts.models import Role
    from orgs.models import Region
    from tests.accounts.factories import UserFactory
    from tests.members.factories import po_create
    from tests.orgs.factories import OrganizationFactory

    # With the logged-in page cache on (config/private_page_cache.py; the test settings turn it off),
    # and every page first opened — and cached — by the other district's own staff: a copy is never
    # another user's answer.
    settings.PRIVATE_PAGE_CACHE_SECONDS = 120

    # given users of district 330499 and objects of district 330599
    own_branch = po_create("本区支部", "branch", regions.community_a1)
    own_org = OrganizationFactory(region=regions.community_a1)
    users = {
        "secretary": UserFactory(role=Role.SECRETARY, username="sweep_sec", party_organization=own_branch),
        "org_contact": UserFactory(role=Role.ORG_CONTACT, username="sweep_contact", organization=own_org),
        "district_staff": UserFactory(role=Role.STAFF, username="sweep_staff", scope_region=regions.district),
    }
    foreign_ids = _foreign_world()
    guarded = [r for r in walk() if not PUBLIC.match(r.name) and r.path is not None]
    foreign_staff = UserFactory(
        role=Role.STAFF,
        is_staff=True,
        username="sweep_foreign",
        scope_region=Region.objects.get(code="330599"),
    )
    owner = Client(raise_request_exception=False)
    owner.force_login(foreign_staff)
    owner.cookies[django_settings.CSRF_COOKIE_NAME] = "a" * 32  # as the login form leaves it
    shown = 0
    for route in guarded:
        for path in [p for p in (_fill(route, pk) for pk in foreign_ids) if p] or [str(route.path)]:
            response = owner.get(path)
            body = b"" if getattr(response, "streaming", False) else response.content
            shown += response.status_code == 200 and MARKER.encode() in body
    assert shown > 0  # the other district's staff saw their objects (and those pages were cached)
    failures, requests, denied, routes_denied = [], 0, 0, set()
    for role, user in users.items():
        client = Client(raise_request_exception=False)  # a 500 is a finding, listed with the rest
        client.force_login(user)
        for route in guarded:
            paths = [p for p in (_fill(route, pk) for pk in foreign_ids) if p] or [str(route.path)]
            for path in paths:
                response = client.get(path)
                requests += 1
                refused = response.status_code in DENIED or (
                    response.status_code in (301, 302) and "login" in response.get("Location", "")
                )
                denied += refused
                if refused:
                    routes_denied.add(route.name)
                body = b"" if getattr(response, "streaming", False) else response.content
                if response.status_code >= 500 or (MARKER.encode() in body and not SHARED.match(route.name)):
                    failures.append(f"{role} GET {path} ({route.name}) → {response.status_code}")
    with capsys.disabled():
        print(
            f"\nURL gate, out-of-scope roles: {len(guarded)} non-public routes × {len(users)} roles, "
            f"{requests} requests with {len(foreign_ids)} foreign ids, {denied} refused, "
            f"{len(routes_denied)} routes shown to refuse; {len(failures)} leaks or errors"
        )
    assert failures == [], "\n".join(failures)


# --- every route is requested by some test (issue 13, gate (a)) -------------------------------------


def _requested_names(paths) -> set[str]:
    from django.urls import Resolver404, resolve

    names = set()
    for path in paths:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        names.add(match.view_name if match.url_name else match.route)
    return names


def test_every_route_is_requested_by_some_test(capsys):
    """Runs last, and only when the whole suite ran (tests/security/url_record.py).

    Every URL pattern of the project must be requested by some test outside this module (its sweeps
    request every route by construction): a new route without a test fails here, named. There is no
    baseline; a pattern no test client can request goes in NOT_REQUESTABLE with the reason."""
    reason = whole_suite_reason()
    if reason:
        pytest.skip(f"the 'every route requested' gate needs the whole suite: {reason}")
    names = {r.name for r in walk()} - set(NOT_REQUESTABLE)
    requested = _requested_names(Record.paths)
    never = sorted(names - requested)
    with capsys.disabled():
        print(
            f"\nURL gate, requested by tests: {len(names)} routes, {len(names & requested)} requested, "
            f"{len(never)} never requested"
        )
    assert never == [], "routes no test requests (add a test that requests them):\n" + "\n".join(never)
