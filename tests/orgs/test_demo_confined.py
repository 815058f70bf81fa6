"""seed_demo on a platform in use (issue 14): confined to the demo district, idempotent, resettable.

Full row dumps of every table the seeders write are compared before and after: a second and third
run change nothing, inside or outside the demo district; a reset removes and rebuilds the demo
district only.
"""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from branches.services.party_organizations import party_organization_create
from members.models import Member
from orgs.demo.scope import demo_committee, demo_district
from orgs.management.commands.seed_demo import server_address
from orgs.models import Organization, Region
from orgs.services.regions import region_create
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=False)

TABLES = [
    "orgs.Region", "orgs.Organization", "orgs.AnnualInspection", "orgs.GradeAward",
    "branches.PartyOrganization", "branches.CoverageLink", "branches.Instructor",
    "branches.InstructorAssignment", "branches.CommitteePost",
    "members.Member", "members.StageChange", "members.Transfer",
    "alliances.Alliance", "alliances.AllianceMembership", "alliances.Program", "alliances.Pairing",
    "alliances.PairingActivity", "alliances.GridPairing", "alliances.GridServiceRecord",
    "alliances.VentureRound", "alliances.VentureApplication",
    "events.Event", "events.Attendance", "events.Booking", "events.ServiceCenter", "events.Room",
    "events.Volunteer", "events.PointEntry", "events.CharitySupermarket",
    "news.Article", "accounts.User",
]  # fmt: skip


def _dump(**filters_by_table) -> dict[str, list[dict]]:
    """Every column of every row of the tables above (optionally filtered per table), in pk order."""
    dump = {}
    for label in TABLES:
        model = apps.get_model(label)
        rows = model._base_manager.filter(**filters_by_table.get(label, {})).order_by("pk")
        dump[label] = list(rows.values(*[f.attname for f in model._meta.concrete_fields]))
    return dump


def _seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _outside_platform() -> dict:
    """A real district elsewhere: its regions, an organization, a party tree and three members."""
    district = region_create(code="330102", name="上城区", kind=Region.Kind.DISTRICT, actor=SYSTEM)
    street = region_create(code="330102001", name="清波街道", kind="street", parent=district, actor=SYSTEM)
    org = Organization.objects.create(
        name="上城区阳光社工服务中心", kind="community", registration="filed", region=street, staff_count=8
    )
    committee = party_organization_create(
        name="上城区社会组织综合党委",
        kind="comprehensive_committee",
        region=district,
        founded_on=dt.date(2016, 1, 1),
        actor=SYSTEM,
    )
    branch = party_organization_create(
        name="清波街道联合党支部",
        kind="joint_branch",
        building_mode="joint",
        parent=committee,
        region=street,
        founded_on=dt.date(2017, 1, 1),
        actor=SYSTEM,
    )
    members = [MemberFactory(party_organization=branch, id_number=_id(900 + n)) for n in range(3)]
    return {"district": district, "org": org, "branch": branch, "members": members}


def _id(n: int) -> str:
    from tests.members.factories import id_number_for

    return id_number_for(n)


def _outside_filters(outside: dict) -> dict:
    """Filters selecting the rows of the outside district (for a dump of those rows only)."""
    region_tree, po_tree = outside["district"].tree_id, outside["branch"].tree_id
    return {
        "orgs.Region": {"tree_id": region_tree},
        "orgs.Organization": {"region__tree_id": region_tree},
        "branches.PartyOrganization": {"tree_id": po_tree},
        "branches.CoverageLink": {"organization__region__tree_id": region_tree},
        "members.Member": {"party_organization__tree_id": po_tree},
        "members.StageChange": {"member__party_organization__tree_id": po_tree},
    }


def _outside_only(dump: dict, filters: dict) -> dict:
    return {label: rows for label, rows in dump.items() if label in filters}


def test_seed_demo_twice_after_real_use_changes_nothing_inside_or_outside(demo_db):
    # given the demo (its first run: the session's, tests/demo_db.py), then a real district elsewhere
    # and the user's own rows inside the demo district
    outside = _outside_platform()
    district = demo_district()
    committee = demo_committee(district)
    street = Region.objects.get(code="330499001")
    Organization.objects.create(
        name="东湖街道新成立的读书会", kind="community", registration="filed", region=street
    )
    mine = party_organization_create(
        name="东湖街道新建联合党支部",
        kind="joint_branch",
        building_mode="joint",
        parent=committee,
        region=street,
        founded_on=dt.date(2024, 1, 1),
        actor=SYSTEM,
    )
    MemberFactory(party_organization=mine, id_number=_id(950))
    demo_branch = committee.get_descendants().filter(kind="branch").first()
    MemberFactory(party_organization=demo_branch, id_number=_id(951))
    before = _dump()
    # when seed_demo runs again, twice (every `make run`)
    second = _seed()
    after_second = _dump()
    _seed()
    # then not one row changed, was added or removed, anywhere
    assert after_second == before
    assert _dump() == before
    assert "0 people" in second and "0 organizations" in second
    assert Member.objects.filter(party_organization=outside["branch"]).count() == 3


def test_seed_demo_on_a_platform_in_use_leaves_other_districts_alone():
    # given a platform already in use elsewhere, before the demo was ever loaded
    outside = _outside_platform()
    filters = _outside_filters(outside)
    before = _outside_only(_dump(**filters), filters)
    # when
    _seed()
    _seed()
    # then the other district's rows are exactly as they were, and it got no demo people
    assert _outside_only(_dump(**filters), filters) == before
    assert Member.objects.filter(party_organization__tree_id=outside["branch"].tree_id).count() == 3
    assert not outside["org"].coverage_links.exists()
    assert Member.objects.filter(party_organization__tree_id=demo_committee().tree_id).count() > 326


def test_seed_demo_reset_rebuilds_only_the_demo_district(demo_db):
    # given the demo, a district elsewhere, and a user's organization inside the demo district
    outside = _outside_platform()
    street = Region.objects.get(code="330499001")
    Organization.objects.create(
        name="东湖街道新成立的读书会", kind="community", registration="filed", region=street
    )
    counts = {label: len(rows) for label, rows in _dump().items()}
    filters = _outside_filters(outside)
    before = _outside_only(_dump(**filters), filters)
    # when
    out = io.StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    # then: the other district untouched; the demo rebuilt with the same figures, nothing doubled
    assert "rows removed" in out.getvalue()
    assert _outside_only(_dump(**filters), filters) == before
    assert not Organization.objects.filter(name="东湖街道新成立的读书会").exists()
    rebuilt = {label: len(rows) for label, rows in _dump().items()}
    assert rebuilt["orgs.Organization"] == counts["orgs.Organization"] - 1
    for label in ("members.Member", "branches.PartyOrganization", "alliances.GridPairing", "events.Event"):
        assert rebuilt[label] == counts[label], label
    assert rebuilt["accounts.User"] == counts["accounts.User"]
    from accounts.models import User

    contact = User.objects.get(username="contact")
    assert contact.organization is not None and contact.organization.region.get_root() == demo_district()
    secretary = User.objects.get(username="secretary")
    assert secretary.party_organization is not None
    assert secretary.party_organization.tree_id == demo_committee().tree_id


def test_seed_demo_reset_refuses_when_a_row_outside_depends_on_the_demo(demo_db):
    from django.core.management.base import CommandError

    from alliances.models import Alliance, AllianceMembership

    # given an alliance of another district with a demo organization as a member (the link protects it)
    outside = _outside_platform()
    alliance = Alliance.objects.create(
        name="上城区为老服务联盟",
        kind="elderly_service",
        lead_organization=outside["org"],
        founded_on=dt.date(2020, 1, 1),
    )
    demo_org = Organization.objects.filter(
        region__code__startswith="330499", registration="registered"
    ).first()
    assert demo_org is not None
    AllianceMembership.objects.create(alliance=alliance, organization=demo_org, joined_on=dt.date(2021, 1, 1))
    counts = {label: len(rows) for label, rows in _dump().items()}
    # when / then: refused with the reason, nothing removed
    with pytest.raises(CommandError, match="outside the demo district"):
        call_command("seed_demo", "--reset", stdout=io.StringIO())
    assert {label: len(rows) for label, rows in _dump().items()} == counts


def test_server_address_follows_host_and_port(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8765")
    assert server_address() == "http://127.0.0.1:8765"
    monkeypatch.setenv("HOST", "192.168.1.20")
    assert server_address() == "http://192.168.1.20:8765"
    monkeypatch.delenv("HOST")
    monkeypatch.delenv("PORT")
    assert server_address() == "http://127.0.0.1:8000"


def test_seed_demo_prints_the_address_it_is_served_on(monkeypatch, demo_db):
    monkeypatch.setenv("PORT", "8123")
    assert "http://127.0.0.1:8123/admin/" in _seed()


def test_seed_demo_reproduces_the_tallies_its_news_quotes(demo_db):
    from django.db.models import Min
    from django.utils import timezone

    from alliances.demo.common import GRID_FIRST_BATCH
    from alliances.models import GridPairing, Pairing
    from events.models import ServiceCenter
    from stats.coverage.engine import coverage_figures

    # when the demo is seeded (the session's run, tests/demo_db.py)
    # then the figures the dashboard and lists show are the published ones
    district = demo_district()
    figures = coverage_figures(region=district, day=timezone.localdate()).to_dict()
    party_members = sum(figures["members_by_stage"].get(stage, 0) for stage in ("probationary", "full"))
    assert party_members == 326  # Pinghu: 326 Party members
    assert figures["total"] >= 558
    levels = list(ServiceCenter.objects.values_list("level", flat=True))
    assert (levels.count("city"), levels.count("street"), levels.count("community")) == (1, 8, 114)
    grids = GridPairing.objects.current()
    assert grids.values("organization").distinct().count() == 436  # from a first batch of 30 to 436
    first = grids.aggregate(first=Min("since"))["first"]
    assert grids.filter(since=first).count() == GRID_FIRST_BATCH == 30
    assert Pairing.objects.filter(alliance__isnull=False).count() == 103  # Jing'an's paired units
