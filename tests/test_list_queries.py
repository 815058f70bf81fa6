"""Every admin changelist, portal list and API list runs as many queries at 5x the data as at 1x.

The lists are found, not listed: the admin site's registry, the URL patterns under /portal/ that
take no argument, and the API router's list routes. Each is requested as the roles it serves (the
superuser in the admin; a branch secretary, an organization contact and district staff in the
portal; a knox token of a secretary and of district staff in the API), once after one round of
rows in every scoped model and once after four more rounds. A list whose count grows is named in
the failure; GROWING holds those known to grow, each with its reason, until the "pages" work
fixes it (the test fails when one of them stops growing).
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Role, User
from config.api.urls import router
from tests.accounts.factories import NotificationFactory, UserFactory
from tests.alliances.factories import AllianceFactory, PairingFactory
from tests.branches.factories import CoverageLinkFactory, InstructorFactory
from tests.dues.factories import base_for, roll_for
from tests.events.factories import make_center, make_event, make_room, make_volunteer
from tests.members.factories import MemberFactory, PoTree, build_po_tree
from tests.news.factories import make_article
from tests.orgs.factories import AnnualInspectionFactory, GradeAwardFactory, OrganizationFactory, RegionTree
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db

# Lists whose query count grows with their rows today: (face, list) -> why. Fixing them is the
# "pages" work (paginators and list_per_page are theirs); the note (notes/hyg.md) lists them too.
# Each round adds organizations, coverage links, inspections, grades, instructors, members with dues
# bases, a month's dues roll, service centers with a room, volunteers, events, alliances, pairings,
# notifications and articles; lists of other rows are checked to answer with a stable count.
GROWING: dict[tuple[str, str], str] = {}

# Portal pages that take no argument but are not lists: forms, downloads and POST-only actions.
PORTAL_NOT_LISTS = {
    "orgs_portal:home",  # redirects to the contact's organization (tests/orgs/test_portal.py counts it)
    "members_portal:add",
    "events_portal:create",
    "events_portal:appraisal_open",
    "events_portal:class_create",  # the form opening a class (its list is events_portal:classes)
    "events_portal:hours_csv",
    "events_portal:alliance_hours_csv",
    "dues_portal:generate",
    "dues_portal:import",
    "dashboard:export",
    "dashboard:refresh",
    "portal:inbox_read_all",
}


@dataclass
class World:
    regions: RegionTree
    pos: PoTree
    secretary: User
    contact: User
    rounds: int = 0
    orgs: list = field(default_factory=list)

    def grow(self, rounds: int) -> None:
        """`rounds` more of every scoped row, in the secretary's branch and street A."""
        for _ in range(rounds):
            n = self.rounds = self.rounds + 1
            community = self.regions.community_a1
            org = OrganizationFactory(region=community)
            CoverageLinkFactory(organization=org)  # a single-mode branch of its own
            AnnualInspectionFactory(organization=org)
            GradeAwardFactory(organization=org)
            InstructorFactory(region=community)
            member = MemberFactory(party_organization=self.pos.branch_a)
            base_for(member)
            roll_for(self.pos.branch_a, month=dt.date(2025, n, 1))
            make_room(make_center(community, name=f"列表党群服务中心{n}"))
            make_volunteer(community, name=f"列表志愿者{n}", phone=f"1390000{n:04d}")
            make_event(self.pos.branch_a, start=dt.datetime(2025, 3, n, 9, tzinfo=dt.UTC))
            AllianceFactory(lead_organization=org)
            PairingFactory(organization=org)
            NotificationFactory(recipient=self.secretary)
            AnnualInspectionFactory(organization=self.contact.organization, year=2000 + n)
            make_article(title=f"列表新闻{n}")


@pytest.fixture
def world(regions, superuser):
    pos = build_po_tree(regions)
    secretary = UserFactory(role=Role.SECRETARY, username="list_secretary", party_organization=pos.branch_a)
    contact = UserFactory(
        role=Role.ORG_CONTACT,
        username="list_contact",
        organization=OrganizationFactory(region=regions.community_a1),
    )
    return World(regions=regions, pos=pos, secretary=secretary, contact=contact)


def _admin_lists() -> dict[str, str]:
    return {
        f"{model._meta.app_label}.{model._meta.model_name}": reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        for model in admin.site._registry
    }


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def _portal_lists() -> dict[str, str]:
    return {
        name: "/" + route
        for route, name in _walk(get_resolver().url_patterns)
        if route.startswith("portal/") and "<" not in route and name not in PORTAL_NOT_LISTS
    }


def _api_lists() -> dict[str, str]:
    return {basename: reverse(f"{basename}-list") for _, _, basename in router.registry}


def _counts(clients: dict, lists: dict[str, str]) -> dict[str, int]:
    """Queries of each list that answers 200 to its role (a first request warms the caches)."""
    counts = {}
    for role, client in clients.items():
        for name, url in lists.items():
            if client.get(url).status_code != 200:
                continue  # not this role's list
            counts[f"{role} {name}"] = get_with_queries(client, url)[0]
    return counts


def _assert_flat(face: str, small: dict[str, int], large: dict[str, int]) -> None:
    assert small.keys() == large.keys(), (
        f"{face}: lists that stopped answering 200: {small.keys() ^ large.keys()}"
    )
    growing = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    known = {name for (f, name) in GROWING if f == face}
    assert set(growing) == known, f"{face}: query count changed from 1x to 5x data: {growing}"


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_admin_changelist_query_count_flat_from_1x_to_5x_data(world, superuser):
    clients = {"superuser": _logged_in(superuser)}
    lists = _admin_lists()
    world.grow(1)
    small = _counts(clients, lists)
    world.grow(4)
    large = _counts(clients, lists)

    assert len(small) == len(lists), (
        f"changelists not answering 200: {set(lists) - {k.split()[1] for k in small}}"
    )
    _assert_flat("admin", small, large)


def test_every_portal_list_query_count_flat_from_1x_to_5x_data(world, district_staff):
    clients = {
        "secretary": _logged_in(world.secretary),
        "org_contact": _logged_in(world.contact),
        "district_staff": _logged_in(district_staff),
    }
    lists = _portal_lists()
    world.grow(1)
    small = _counts(clients, lists)
    world.grow(4)
    large = _counts(clients, lists)

    answered = {key.split()[1] for key in small}
    assert answered == set(lists), f"portal lists no role reached: {set(lists) - answered}"
    _assert_flat("portal", small, large)


def test_every_api_list_query_count_flat_from_1x_to_5x_data(world, district_staff):
    clients = {}
    for role, user in {"secretary": world.secretary, "district_staff": district_staff}.items():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
        clients[role] = client
    lists = _api_lists()
    world.grow(1)
    small = _counts(clients, lists)
    world.grow(4)
    large = _counts(clients, lists)

    answered = {key.split()[1] for key in small}
    assert answered == set(lists), f"API lists no role reached: {set(lists) - answered}"
    _assert_flat("api", small, large)
