"""Members counted as they were on the day asked, not as they are today (issue 12).

The engine's members-by-stage and should-build figures read each member's stage and status on the
day from the dated rows (members.services.periods' rule): stage dates on Member, status changes
(suspension, reinstatement, leaving, death) and transfers received out of and into the system; a
member is counted under the party organization holding them on the day (internal transfers move them).

A district's member history is loaded through the services in three orders (chronological, latest
first, shuffled) into three districts; the figures at five past dates equal the hand counts (in
tests/stats/member_history_data.py)
and each other. Two more tests check the engine's status-on-the-day and holding-on-the-day SQL against
periods.status_on and periods.party_organization_on member by member, on random histories written
directly (ties on one day, arrivals and internal transfers included).
"""

import datetime as dt
import random

import pytest
from django.db import connection

from members.models import Member, StageChange, Transfer
from members.services.periods import party_organization_id_on, status_on
from stats.coverage import sql
from stats.coverage.engine import coverage_figures
from tests.orgs.factories import build_region_tree
from tests.stats import builders as b
from tests.stats.member_history_data import (
    EXPECTED,
    P1,
    D,
    load_member_history,
)

pytestmark = pytest.mark.django_db


def _seen(tree, orgs, day) -> dict:
    result = coverage_figures(region=tree.district, day=day)
    streets = {row.code: row.members_by_stage for row in result.by_street}
    listed = {item.id: item.full_members for item in result.should_build_list}
    return {
        "district": {stage: n for stage, n in result.members_by_stage.items() if n},
        "A": {stage: n for stage, n in streets[tree.street_a.code].items() if n},
        "B": {stage: n for stage, n in streets[tree.street_b.code].items() if n},
        "should_build": result.figures.should_build,
        "X_full_members": listed.get(orgs["X"].pk),
    }


def test_members_counted_by_stage_and_status_on_each_past_date_in_any_loading_order(regions, superuser):
    # given the same member history loaded into three districts, in three orders
    loaded = [
        load_member_history(tree, superuser, order, n)
        for n, (tree, order) in enumerate(
            zip(
                [regions, build_region_tree("330498"), build_region_tree("330497")],
                ("chronological", "latest_first", "shuffled"),
                strict=True,
            )
        )
    ]
    for day, expected in EXPECTED.items():
        # then each district's figures on each date are the hand counts
        for tree, orgs in loaded:
            assert _seen(tree, orgs, day) == expected, (tree.district.code, day)


def test_today_status_would_have_counted_otherwise(regions, superuser):
    """The hand counts differ from today's statuses (the test above cannot pass by reading them)."""
    tree, orgs = load_member_history(regions, superuser, "chronological", 0)
    today = {
        m.name.split("-")[0]: m.status
        for m in Member.objects.filter(party_organization__region__tree_id=tree.district.tree_id)
    }
    assert today == {
        "m1": "active",
        "m2": "active",
        "m3": "left",
        "m4": "active",
        "m5": "active",
        "m6": "deceased",
        "m7": "left",
        "m8": "active",
        "m9": "active",
        "m10": "active",
        "m11": "active",
    }
    # read by today's status, X would have 3 full active members on P1 (m1, m2, m4): should build;
    # it had 2 that day
    assert _seen(tree, orgs, P1)["should_build"] == 0


STATUSES = list(Member.Status.values)


def _engine_statuses(day: dt.date, *, lateral: bool = False) -> dict[int, str]:
    """Every member's status on `day` by the engine's SQL: status_on_day (every event read and
    numbered at once: a province), or each member's latest event read through the index (LATERAL:
    a district on PostgreSQL)."""
    join = (sql.STATUS_LATERAL if lateral else sql.STATUS_JOIN).replace("{id}", "m.id")
    statement = (
        f"WITH {sql.STATUS_ON_DAY.replace('{status_events}', sql._ALL_EVENTS)}\n"
        f"SELECT m.id, COALESCE(s.status, m.status) FROM {sql.T['member']} m\n{join}"
    )
    with connection.cursor() as cursor:
        cursor.execute(*sql.bind(statement, {"day": day}))
        return dict(cursor.fetchall())


def _engine_holders(day: dt.date) -> dict[int, int]:
    statement = (
        f"WITH {sql.HELD_ON_DAY.replace('{members}', '')}\n"
        f"SELECT m.id, COALESCE(h.po_id, m.party_organization_id) FROM {sql.T['member']} m"
        " LEFT JOIN held_on_day h ON h.member_id = m.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(*sql.bind(statement, {"day": day}))
        return dict(cursor.fetchall())


def _random_histories(regions) -> tuple[list[Member], list[dt.date]]:
    """60 members with random histories written as rows (the services would refuse some of them: the
    rule must hold for whatever the rows say): status changes and transfers (internal between three
    party organizations, out of and into the system) on 12 days, so many fall on the same day."""
    rng = random.Random(2026)
    cc = b.committee(regions.district)
    pos = [
        b.party_org(f"随机历史支部{n}", mode="single", region=region, parent=cc)
        for n, region in enumerate([regions.community_a1, regions.community_b1, regions.community_a1])
    ]
    days = [D(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 2500)) for _ in range(12)]
    members = []
    for _ in range(60):
        member = b.member(rng.choice(pos), full_on=D(2015, 1, 1))
        Member.objects.filter(pk=member.pk).update(status=rng.choice(STATUSES))
        member.refresh_from_db()
        for _ in range(rng.randrange(0, 4)):
            StageChange.objects.create(
                member=member, to_stage="full", to_status=rng.choice(STATUSES), on=rng.choice(days)
            )
        StageChange.objects.create(member=member, to_stage="full", on=rng.choice(days))  # no status
        for _ in range(rng.randrange(0, 4)):
            received = rng.choice(days)
            direction = rng.choice(["out", "in", "internal", "internal"])
            origin, destination = rng.sample(pos, 2)
            Transfer.objects.create(
                member=member,
                direction=direction,
                from_party_organization=None if direction == "in" else origin,
                to_party_organization=None if direction == "out" else destination,
                status=rng.choice(["received", "received", "cancelled"]),
                outside_unit="" if direction == "internal" else "某单位",
                sent_on=received - dt.timedelta(days=rng.randrange(0, 3)),
                received_on=received,
            )
        members.append(member)
    return members, sorted({d + dt.timedelta(days=k) for d in days for k in (-1, 0, 1)})


def test_status_on_the_day_sql_equals_periods_status_on_member_by_member(regions):
    # given 60 members with random histories, same-day events and arrivals included
    members, days = _random_histories(regions)
    checked, ties, before_arrival = set(), 0, 0
    # then on every event day and the days around, the SQL says what periods says, for everyone
    for day in days:
        engine = _engine_statuses(day)
        assert _engine_statuses(day, lateral=True) == engine  # a district's path: the same statuses
        for member in members:
            assert engine[member.pk] == status_on(member, day)[0], (member.pk, day)
            checked.add(engine[member.pk])
            before_arrival += "before the transfer into" in status_on(member, day)[1]
    for member in members:  # same-day status changes with different statuses: the later recorded wins
        by_day: dict[dt.date, list[StageChange]] = {}
        for row in StageChange.objects.filter(member=member).exclude(to_status="").order_by("on", "id"):
            by_day.setdefault(row.on, []).append(row)
        for day, rows in by_day.items():
            arrivals_or_departures = Transfer.objects.filter(
                member=member, status="received", received_on=day, direction__in=["in", "out"]
            )
            if len({row.to_status for row in rows}) > 1 and not arrivals_or_departures.exists():
                ties += 1
                assert _engine_statuses(day)[member.pk] == rows[-1].to_status, (member.pk, day)
                assert _engine_statuses(day, lateral=True)[member.pk] == rows[-1].to_status
    assert len(checked) == len(STATUSES)  # every status was met somewhere
    assert ties and before_arrival  # the cases the rule decides were met


def test_holding_party_organization_sql_equals_periods_member_by_member(regions):
    # given the same random histories (internal transfers between three party organizations)
    members, days = _random_histories(regions)
    moved = 0
    # then on every event day and the days around, the SQL's holding party organization is periods'
    for day in days:
        engine = _engine_holders(day)
        for member in members:
            assert engine[member.pk] == party_organization_id_on(member, day), (member.pk, day)
            moved += engine[member.pk] != member.party_organization_id
    assert moved  # some members were held elsewhere than today on some day


def test_a_member_moved_between_districts_is_counted_where_held_on_each_day(regions):
    # given a full member held by a branch of district 1 until an internal transfer received
    # 2021-06-01 moved them to a branch of district 2 (today's), and one moved the other way
    other = build_region_tree("330498")
    here = b.party_org(
        "区一支部", mode="single", region=regions.community_a1, parent=b.committee(regions.district)
    )
    there = b.party_org(
        "区二支部", mode="single", region=other.community_b1, parent=b.committee(other.district)
    )
    leaving = b.member(there, full_on=D(2015, 1, 1))
    arriving = b.member(here, full_on=D(2015, 1, 1))
    for member, origin, destination in ((leaving, here, there), (arriving, there, here)):
        Transfer.objects.create(
            member=member,
            direction="internal",
            from_party_organization=origin,
            to_party_organization=destination,
            status="received",
            sent_on=D(2021, 5, 20),
            received_on=D(2021, 6, 1),
        )

    def full(region, day):
        return coverage_figures(region=region, day=day).members_by_stage["full"]

    # then each district (and its streets) counts the one it held that day
    for day in (D(2021, 5, 31), D(2021, 6, 1)):
        assert full(regions.district, day) == 1 and full(other.district, day) == 1
    assert Member.objects.get(pk=leaving.pk).party_organization_id == there.pk
    assert (full(regions.street_a, D(2021, 5, 31)), full(regions.street_a, D(2021, 6, 1))) == (1, 1)
    assert (full(other.street_b, D(2021, 5, 31)), full(other.street_b, D(2021, 6, 1))) == (1, 1)
    # the member counted in district 1 changed on the day of the move
    assert party_organization_id_on(leaving, D(2021, 5, 31)) == here.pk
    assert party_organization_id_on(arriving, D(2021, 5, 31)) == there.pk
    Transfer.objects.filter(member=arriving).delete()  # now only `leaving` moved: district 1 holds
    assert (full(regions.district, D(2021, 5, 31)), full(regions.district, D(2021, 6, 1))) == (2, 1)
    assert (full(other.district, D(2021, 5, 31)), full(other.district, D(2021, 6, 1))) == (0, 1)


def test_the_three_ways_of_reading_status_events_give_the_same_rows(regions, superuser, monkeypatch):
    # a district's statements read each member's events through the index (PostgreSQL: LATERAL),
    # by a join (SQLite, which has no LATERAL) or, for a province, all events hashed at once: on the
    # dated history of issue 12, every row of both statements is the same whichever way is taken
    from stats.conf import stats_setting
    from stats.coverage.engine import thresholds
    from stats.snapshots import region_with_streets

    load_member_history(regions, superuser, "chronological", 0)
    scopes = sorted(
        (r.pk, r.tree_id, r.lft, r.rght, r.kind, r.parent_id) for r in region_with_streets(regions.district)
    )
    limits = thresholds()

    def rows(day: dt.date, vendor: str) -> list:
        statements = (
            sql.org_figures_statement(
                scopes,
                day,
                sql.OrgFilter(),
                large_min_staff=limits["large_org_min_staff"],
                should_build_min=limits["should_build_min_full_members"],
                list_limit=stats_setting("LIST_LIMIT"),
                vendor=vendor,
            ),
            sql.region_figures_statement(scopes, day, vendor),
        )
        found = []
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(*statement)
                found.append(sorted(map(repr, cursor.fetchall())))
        return found

    for day in EXPECTED:
        by_index = rows(day, "postgresql")
        assert (
            "LATERAL"
            in sql.org_figures_statement(
                scopes, day, sql.OrgFilter(), large_min_staff=1, should_build_min=1, list_limit=1
            )[0]
        )
        assert rows(day, "sqlite") == by_index, day
        with monkeypatch.context() as patched:
            patched.setattr(sql, "ALL_EVENTS_TREES", 0)  # as for a province: every event, hashed
            assert rows(day, "postgresql") == by_index, day
        assert any("member" in row for row in by_index[1])  # members were counted
