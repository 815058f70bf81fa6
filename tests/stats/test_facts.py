"""Stored coverage facts (stats.coverage.facts): kept current by the triggers' change records and the
dated rows between two days, they give exactly the live figures, whatever changed and in whatever
order the days come. Every comparison is against the live engine on the same data and day."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Sum, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from branches.models import CoverageLink, InstructorAssignment, PartyOrganization
from members.models import AffiliationRecord, Member, StageChange, Transfer
from orgs.models import AnnualInspection, Organization, OrganizationStatusChange
from stats.coverage.engine import coverage_figures_many
from stats.coverage.facts import facts_refresh
from stats.models import CoverageFactsState, CoverageSnapshot, FactChange, MemberCount, MemberFact, OrgFact
from stats.snapshots import coverage_snapshot_write_all, coverage_snapshots_write, region_with_streets
from tests.stats import builders as b
from tests.stats.conftest import D1, D2, D3
from tests.stats.member_history_data import P1, P2, P3, PA, PB, load_member_history

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="stored facts need PostgreSQL"),
]
D = dt.date


def _regions(tree):
    """The district, its streets and a community: every kind of scope the figures are asked for."""
    return [*region_with_streets(tree.district), tree.community_a1, tree.community_b2]


def _figures(regions, day, *, stored: bool) -> dict:
    results = coverage_figures_many(regions=regions, day=day, stored=stored)
    return {region.code: results[region.pk].to_stored({}) for region in regions}


def _assert_stored_is_live(regions, day, *, rebuilt: bool = False):
    refresh = facts_refresh(day=day)
    assert refresh.rebuilt is rebuilt
    stored, live = _figures(regions, day, stored=True), _figures(regions, day, stored=False)
    assert stored == live, day
    # the pre-summed member counts are the sums of the members' facts, with no empty key left
    summed = (
        MemberFact.objects.values_list(
            "region_id", Coalesce("stage", Value("")), Coalesce("affiliation", Value(""))
        )
        .annotate(members=Count("id"), active=Sum("active"))
        .order_by()
    )
    assert set(
        MemberCount.objects.values_list("region_id", "stage", "affiliation", "members", "active")
    ) == set(summed)
    return refresh


@pytest.fixture
def history(dataset, superuser):
    """The hand-worked organizations (links, overlaps, dissolutions, inspections to come) and a member
    history (suspensions, transfers, deaths) in the same district."""
    load_member_history(dataset.regions, superuser, "shuffled", 0)
    return dataset


def test_facts_follow_the_days_forward_and_back_with_only_what_changed_recomputed(history):
    regions = _regions(history.regions)
    first = _assert_stored_is_live(regions, P1, rebuilt=True)  # no stored day: built afresh
    assert first.orgs == Organization.objects.count() - 1  # 十三号新登记 registered in 2024
    assert CoverageFactsState.objects.get().day == P1
    moved = [
        _assert_stored_is_live(regions, day)  # moved, not rebuilt, and equal to the live figures
        for day in (PA, P2, PB, D1, P3, D3, D2, D(2026, 1, 1), P3, P1, D2)  # forward, back, far
    ]
    assert not FactChange.objects.exists()  # every change record read and consumed
    # a day later with nothing dated in between recomputes nothing; the moves above did recompute
    assert _assert_stored_is_live(regions, D(2025, 7, 1)).orgs == 0
    assert sum(refresh.orgs for refresh in moved) > 0


@pytest.fixture
def stored_d2(history):
    regions = _regions(history.regions)
    _assert_stored_is_live(regions, D2, rebuilt=True)
    return history, regions


def test_a_refresh_on_the_same_day_without_changes_recomputes_nothing(stored_d2):
    _dataset, regions = stored_d2
    refresh = _assert_stored_is_live(regions, D2)
    assert (refresh.orgs, refresh.members) == (0, 0)


def test_every_kind_of_change_reaches_the_stored_figures(stored_d2):
    dataset, regions = stored_d2
    r, p, o = dataset.regions, dataset.pos, dataset.orgs
    changes = [
        # a new organization with a back-dated link and a full member of its own
        lambda: b.link(p["single1"], b.organization("新登记十六号", region=r.community_a2), D(2020, 1, 1)),
        # a link ended in the past (an update), a link deleted, an instructor assigned back-dated
        lambda: CoverageLink.objects.filter(organization=o[2]).update(until=D(2024, 1, 1)),
        lambda: CoverageLink.objects.filter(organization=o[10]).delete(),
        lambda: b.instructor_assignment(o[11], D(2022, 1, 1)),
        lambda: InstructorAssignment.objects.filter(organization=o[13]).update(until=D(2024, 6, 1)),
        # a party organization dissolved back-dated, another moved to another street, a mode changed
        lambda: PartyOrganization.objects.filter(pk=p["single2"].pk).update(
            status="dissolved", dissolved_on=D(2024, 12, 1)
        ),
        lambda: PartyOrganization.objects.filter(pk=p["joint"].pk).update(region=r.community_b1),
        lambda: PartyOrganization.objects.filter(pk=p["fallback"].pk).update(building_mode="joint"),
        # the registry: renamed, re-kinded, bigger, deregistered in the past, a declared section
        lambda: Organization.objects.filter(pk=o[15].pk).update(
            name="十五号改名", management_mode="industry"
        ),
        lambda: Organization.objects.filter(pk=o[4].pk).update(staff_count=80, region=r.community_a2),
        lambda: OrganizationStatusChange.objects.filter(organization=o[3], kind="registered").update(
            until=D(2023, 5, 1)
        ),
        lambda: AnnualInspection.objects.create(
            organization=o[15], year=2024, result="qualified", has_party_organization=True
        ),
        # members: stage dates moved, an employer changed, one deleted, a status change and a
        # received transfer back-dated, a flowing period
        lambda: Member.objects.filter(employer=o[1]).update(full_on=D(2025, 9, 1)),
        lambda: Member.objects.filter(employer=o[2]).update(employer=o[11]),
        lambda: Member.objects.filter(employer=o[10]).earliest("pk").delete(),
        lambda: StageChange.objects.create(
            member=Member.objects.filter(employer=o[11]).earliest("pk"),
            on=D(2024, 4, 1),
            from_stage="full",
            to_stage="full",
            to_status="suspended",
        ),
        lambda: Transfer.objects.create(
            member=Member.objects.filter(party_organization=p["fallback"]).earliest("pk"),
            direction="internal",
            from_party_organization=p["fallback"],
            to_party_organization=p["single1"],
            status="received",
            sent_on=D(2024, 8, 1),
            received_on=D(2024, 8, 2),
        ),
        lambda: AffiliationRecord.objects.create(
            member=Member.objects.filter(party_organization=p["single1"]).earliest("pk"),
            kind="flowing",
            starts_on=D(2024, 1, 1),
            location="深圳市南山区",
            contact_party_organization=p["single1"],
        ),
        # and an organization deleted outright, its links first
        lambda: (CoverageLink.objects.filter(organization=o[14]).delete(), o[14].delete()),
    ]
    unchanged = []
    for n, change in enumerate(changes):
        before = _figures(regions, D2, stored=False)
        change()
        refresh = _assert_stored_is_live(regions, D2)  # only those it concerns recomputed
        assert 0 < refresh.orgs + refresh.members < OrgFact.objects.count() + MemberFact.objects.count()
        if _figures(regions, D2, stored=False) == before:
            unchanged.append(n)
    assert unchanged == []  # every change moved a figure or a list: none passed by changing nothing


def test_raw_sql_and_bulk_writes_are_seen_too(stored_d2):
    # no model signal involved: the database's triggers record them
    dataset, regions = stored_d2
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE branches_coveragelink SET until = %s WHERE organization_id = %s",
            [D(2022, 1, 1), dataset.orgs[1].pk],
        )
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"批量{n}", kind="community", registration="filed", region=dataset.regions.community_b1
            )
            for n in range(3)
        ]
    )
    refresh = _assert_stored_is_live(regions, D2)
    assert refresh.orgs >= 4


def test_a_truncated_source_table_rebuilds_every_fact(stored_d2):
    _dataset, regions = stored_d2
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_affiliationrecord")
    assert not CoverageFactsState.objects.exists()
    _assert_stored_is_live(regions, D2, rebuilt=True)


def test_refresh_query_count_does_not_grow_with_the_data(stored_d2):
    dataset, regions = stored_d2

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            facts_refresh(day=D3)
        return len(queries)

    small = counted()
    b.bulk_dataset(dataset.regions.district, dataset.pos["cc"], 60, day=D2)
    large = counted()
    assert large == small
    assert _figures(regions, D3, stored=True) == _figures(regions, D3, stored=False)


def _live_snapshots(regions, day) -> dict:
    """The snapshots the live engine stores (then removed again)."""
    coverage_snapshots_write(regions=regions, day=day)
    stored = _snapshots(day)
    CoverageSnapshot.objects.filter(date=day).delete()
    return stored


def _snapshots(day) -> dict:
    return dict(CoverageSnapshot.objects.filter(date=day).values_list("region__code", "figures"))


def test_nightly_snapshot_reads_the_facts_and_stores_the_live_figures(history):
    regions = region_with_streets(history.regions.district)
    live = _live_snapshots(regions, D2)
    coverage_snapshot_write_all(day=D2, region_ids=[region.pk for region in regions])
    assert CoverageFactsState.objects.get().day == D2 and OrgFact.objects.exists()
    assert _snapshots(D2) == live and len(live) == 3
    # a change, then the next night's run: recomputed from the change alone, stored as the live figures
    b.link(history.pos["single2"], history.orgs[15], D(2025, 1, 1))
    before, live = live, _live_snapshots(regions, D2)
    coverage_snapshot_write_all(day=D2, region_ids=[region.pk for region in regions])
    assert _snapshots(D2) == live != before


@pytest.mark.parametrize("seed", [20261206, 7, 1949])
def test_random_back_dated_edits_on_random_days_keep_the_stored_figures_live(history, seed):
    # 40 random edits of dated columns (links, assignments, status periods, founding and dissolution,
    # stage dates, transfers, periods), each followed by a refresh on a random day between 2019 and
    # 2026: every time the stored figures are the live ones
    import random

    rng = random.Random(seed)
    regions = _regions(history.regions)
    _assert_stored_is_live(regions, D2, rebuilt=True)

    def some_day() -> dt.date:
        return D(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 8 * 365))

    def pick(model, **where):
        rows = list(model.objects.filter(**where).order_by("pk").values_list("pk", flat=True))
        return rng.choice(rows)

    def link_moved():
        pk = pick(CoverageLink)
        since = some_day()
        CoverageLink.objects.filter(pk=pk).update(
            since=since, until=since + dt.timedelta(days=rng.randrange(30, 900))
        )

    def assignment_moved():
        pk = pick(InstructorAssignment)
        InstructorAssignment.objects.filter(pk=pk).update(since=some_day(), until=None)

    def registration_ended():
        pk = pick(OrganizationStatusChange, kind="registered")
        row = OrganizationStatusChange.objects.get(pk=pk)
        start = row.on or D(2010, 1, 1)
        OrganizationStatusChange.objects.filter(pk=pk).update(
            until=start + dt.timedelta(days=rng.randrange(200, 4000))
        )

    def founded_moved():
        PartyOrganization.objects.filter(pk=pick(PartyOrganization, status="active")).update(
            founded_on=some_day()
        )

    def stage_moved():
        column = rng.choice(["applied_on", "activist_on", "candidate_on", "admitted_on", "full_on"])
        Member.objects.filter(pk=pick(Member)).update(**{column: some_day()})

    def transfer_moved():
        if Transfer.objects.filter(status="received").exists():
            day = some_day()
            Transfer.objects.filter(pk=pick(Transfer, status="received")).update(sent_on=day, received_on=day)

    def employer_changed():
        Member.objects.filter(pk=pick(Member)).update(employer_id=pick(Organization))

    def stage_change_moved():
        if StageChange.objects.exclude(to_status="").exists():
            StageChange.objects.filter(pk=pick(StageChange, to_status__gt="")).update(on=some_day())

    edits = [
        link_moved,
        assignment_moved,
        registration_ended,
        founded_moved,
        stage_moved,
        transfer_moved,
        employer_changed,
        stage_change_moved,
    ]
    for _ in range(40):
        rng.choice(edits)()
        _assert_stored_is_live(regions, some_day())


@pytest.mark.parametrize("gap", [1, 10, 200])  # looked up by day in the index, and by a scan beyond
def test_dates_reached_between_two_nights_are_recomputed_without_any_edit(stored_d2, gap):
    # rows entered before the first night, dated later: nothing is edited between the two nights, the
    # dates alone move the figures
    dataset, regions = stored_d2
    later = D2 + dt.timedelta(days=gap)
    org = b.organization("到期转正单位", region=dataset.regions.community_a1)
    b.full_members(dataset.pos["joint"], org, 3, full_on=later)  # full members on that day
    b.link(dataset.pos["single1"], dataset.orgs[15], later)  # covered from that day
    facts_refresh(day=D2)  # the first night sees them, not yet in force
    before = _figures(regions, later - dt.timedelta(days=1), stored=False)

    refresh = _assert_stored_is_live(regions, later)

    assert refresh.orgs >= 2 and refresh.members >= 3
    after = _figures(regions, later, stored=False)
    assert after["330499"]["single"] == before["330499"]["single"] + 1
    assert after["330499"]["members_by_stage"]["full"] == before["330499"]["members_by_stage"]["full"] + 3


def test_too_many_rows_to_redo_rebuilds_every_fact(stored_d2, monkeypatch):
    from stats.coverage import facts

    _dataset, regions = stored_d2
    monkeypatch.setattr(facts, "FULL_MIN", 0)
    Organization.objects.filter(pk__in=list(Organization.objects.values_list("pk", flat=True)[:5])).update(
        staff_count=99
    )
    refresh = _assert_stored_is_live(regions, D2, rebuilt=True)  # 5 of 14: more than a quarter
    assert refresh.orgs == OrgFact.objects.count()
