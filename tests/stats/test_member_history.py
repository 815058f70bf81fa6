"""Members counted as they were on the day asked, not as they are today (issue 12).

The engine's members-by-stage and should-build figures read each member's stage and status on the
day from the dated rows (members.services.periods' rule): stage dates on Member, status changes
(suspension, reinstatement, leaving, death) and transfers received out of and into the system; a
member is counted under the party organization holding them on the day (internal transfers move them).

A district's member history is loaded through the services in three orders (chronological, latest
first, shuffled) into three districts; the figures at five past dates equal the hand counts below
and each other. Two more tests check the engine's status-on-the-day and holding-on-the-day SQL against
periods.status_on and periods.party_organization_on member by member, on random histories written
directly (ties on one day, arrivals and internal transfers included).
"""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from branches.models import PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.party_organizations import party_organization_create
from members.models import Member, StageChange, Transfer
from members.services.members import member_create
from members.services.periods import party_organization_id_on, status_on
from members.services.status import member_mark_deceased, member_mark_left, member_reinstate, member_suspend
from members.services.transfers import transfer_in, transfer_receive, transfer_send
from orgs.services.organizations import organization_create
from orgs.uscc import make_uscc
from stats.coverage import sql
from stats.coverage.engine import coverage_figures
from tests.branches.factories import comprehensive_committee
from tests.members.factories import id_number_for
from tests.orgs.factories import build_region_tree
from tests.stats import builders as b

pytestmark = pytest.mark.django_db
D = dt.date
Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode

P1, P2, P3 = D(2019, 12, 31), D(2021, 12, 31), D(2023, 12, 31)
PA, PB = D(2020, 12, 31), D(2022, 12, 31)

EARLY = {
    "stage": "full",
    "applied_on": D(2010, 3, 1),
    "activist_on": D(2011, 3, 1),
    "candidate_on": D(2012, 3, 1),
    "admitted_on": D(2013, 3, 1),
    "full_on": D(2014, 3, 1),
}
# name: (party organization, employer, stage dates). J: joint branch in street A (covers X by a
# joint link); S: single branch in street B (covers nobody). X and Y employ; Y has no link.
PEOPLE: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "m1": ("J", "X", EARLY),  # active throughout
    "m2": ("J", "X", EARLY),  # suspended 2019-07-01, reinstated 2021-03-01
    "m3": ("J", "X", EARLY),  # suspended 2019-03-01, left 2020-05-01 (two records)
    "m4": (  # probationary 2017-06-01, full 2018-06-01; out 2021-10-01, back in 2023-05-01
        "J",
        "X",
        {
            "stage": "full",
            "applied_on": D(2015, 1, 1),
            "activist_on": D(2015, 7, 1),
            "candidate_on": D(2016, 8, 1),
            "admitted_on": D(2017, 6, 1),
            "full_on": D(2018, 6, 1),
        },
    ),
    "m5": (  # applicant 2018-03-01, activist 2019-03-01, candidate 2020-03-01; no status record
        "J",
        "Y",
        {
            "stage": "candidate",
            "applied_on": D(2018, 3, 1),
            "activist_on": D(2019, 3, 1),
            "candidate_on": D(2020, 3, 1),
        },
    ),
    "m6": ("S", "Y", EARLY),  # died 2022-02-01
    "m7": ("S", "Y", EARLY),  # left 2023-01-01
    "m8": (  # probationary 2019-09-01, full 2020-09-01, employed by X but held by S
        "S",
        "X",
        {
            "stage": "full",
            "applied_on": D(2017, 1, 1),
            "activist_on": D(2017, 7, 1),
            "candidate_on": D(2019, 1, 1),
            "admitted_on": D(2019, 9, 1),
            "full_on": D(2020, 9, 1),
        },
    ),
    # m9 arrives by a transfer into the system received 2020-06-01 (`_district`): not counted before
    "m9": ("J", "X", EARLY),
    "m10": ("J", None, EARLY),  # moved J → S by an internal transfer received 2021-06-01
    "m11": ("J", None, EARLY),  # suspended and reinstated on 2022-03-01 (recorded in that order)
}
ARRIVING = "m9"

# Counted by hand from PEOPLE and the records (`_records`):
# P1 2019-12-31: m2 and m3 suspended; m5 activist, m8 probationary; m9 not arrived yet; m10 still in J
#   (street A); the rest full and active.
#   X employs full active m1, m4 (m2, m3 suspended, m8 not full yet, m9 not here): 2, not should-build.
# PA 2020-12-31: m3 left; m9 arrived (J); m5 candidate, m8 full; m2 still suspended.
#   X: m1, m4, m8, m9 = 4: should build (joint-covered only).
# P2 2021-12-31: m4 transferred out; m2 reinstated; m10 moved to S (street B).
#   X: m1, m2, m8, m9 = 3 + 1 = 4.
# PB 2022-12-31: m6 died; m11 suspended and reinstated the same day: active.
#   X: m1, m2, m8, m9 = 4.
# P3 2023-12-31: m4 back (2023-05-01); m7 left.
#   X: m1, m2, m4, m8, m9 = 5. Y (m5 not full, m6, m7 gone): 0.
EXPECTED: dict[dt.date, dict[str, Any]] = {
    P1: {
        "district": {"full": 6, "probationary": 1, "activist": 1},
        "A": {"full": 4, "activist": 1},  # m1, m4, m10, m11; m5
        "B": {"full": 2, "probationary": 1},  # m6, m7; m8
        "should_build": 0,
        "X_full_members": None,  # not in the list
    },
    PA: {
        "district": {"full": 8, "candidate": 1},
        "A": {"full": 5, "candidate": 1},  # m1, m4, m9, m10, m11; m5
        "B": {"full": 3},  # m6, m7, m8
        "should_build": 1,
        "X_full_members": 4,
    },
    P2: {
        "district": {"full": 8, "candidate": 1},
        "A": {"full": 4, "candidate": 1},  # m1, m2, m9, m11; m5
        "B": {"full": 4},  # m6, m7, m8, m10
        "should_build": 1,
        "X_full_members": 4,
    },
    PB: {
        "district": {"full": 7, "candidate": 1},
        "A": {"full": 4, "candidate": 1},  # m1, m2, m9, m11; m5
        "B": {"full": 3},  # m7, m8, m10
        "should_build": 1,
        "X_full_members": 4,
    },
    P3: {
        "district": {"full": 7, "candidate": 1},
        "A": {"full": 5, "candidate": 1},  # m1, m2, m4, m9, m11; m5
        "B": {"full": 2},  # m8, m10
        "should_build": 1,
        "X_full_members": 5,
    },
}


def _district(tree, actor, serial: int):
    committee = comprehensive_committee(tree.district)

    def branch(name, kind, mode, region):
        return party_organization_create(
            name=f"{name}{serial}",
            kind=kind,
            building_mode=mode,
            region=region,
            parent=committee,
            founded_on=D(2009, 1, 1),
            actor=actor,
        )

    def org(letter, region, n):
        return organization_create(
            actor=actor,
            name=f"党员历史组织{letter}{serial}",
            kind="private_non_enterprise",
            uscc=make_uscc("private_non_enterprise", "330499", 700 + 10 * serial + n),
            region=region,
            registered_on=D(2009, 1, 1),
        )

    pos = {
        "J": branch("历史联合党支部", Kind.JOINT_BRANCH, Mode.JOINT, tree.community_a1),
        "S": branch("历史单独党支部", Kind.BRANCH, Mode.SINGLE, tree.community_b1),
    }
    orgs = {"X": org("X", tree.community_a1, 1), "Y": org("Y", tree.community_b1, 2)}
    coverage_link_create(
        party_organization=pos["J"], organization=orgs["X"], since=D(2009, 2, 1), actor=actor
    )
    members = {}
    for n, (name, (po, employer, stages)) in enumerate(PEOPLE.items()):
        person = {
            "name": f"{name}-{serial}",
            "id_number": id_number_for(500 + 20 * serial + n, birth=D(1980, 1, 1) + dt.timedelta(days=n)),
            "employer": orgs[employer] if employer else None,
            **stages,
        }
        if name == ARRIVING:  # registered by their arrival: the transfer is their first record
            members[name] = transfer_in(
                to_party_organization=pos[po],
                outside_unit="外省某单位",
                sent_on=D(2020, 5, 1),
                received_on=D(2020, 6, 1),
                person=person,
                actor=actor,
            ).member
        else:
            members[name] = member_create(party_organization=pos[po], actor=actor, **person)
    return pos, orgs, members


def _records(pos, members, actor) -> list[tuple[dt.date, Callable[[], object]]]:
    """(date, write) pairs: every dated fact of the members' history. A suspension with its
    reinstatement, and a transfer out with the return, are one fact each (the second half needs the
    first)."""
    m = members

    def suspend(name, on, since, reinstated_on=None):
        def write():
            member_suspend(member=m[name], on=on, out_of_contact_since=since, actor=actor)
            if reinstated_on:
                member_reinstate(member=m[name], on=reinstated_on, actor=actor)

        return on, write

    def out_and_back(name, sent, received, back_sent, back_received):
        def write():
            transfer = transfer_send(member=m[name], outside_unit="外省某单位", sent_on=sent, actor=actor)
            transfer_receive(transfer=transfer, received_on=received, actor=actor)
            member = Member.objects.get(pk=m[name].pk)
            transfer_in(
                to_party_organization=pos["J"],
                outside_unit="外省某单位",
                sent_on=back_sent,
                received_on=back_received,
                person={
                    "name": member.name,
                    "id_number": member.id_number,
                    "birth_date": member.birth_date,
                    "gender": member.gender,
                },
                actor=actor,
            )

        return sent, write

    def left(name, on):
        return on, lambda: member_mark_left(member=m[name], on=on, reason="自愿退党", actor=actor)

    def died(name, on):
        return on, lambda: member_mark_deceased(member=m[name], on=on, actor=actor)

    def moved(name, po, sent, received):
        def write():
            transfer = transfer_send(member=m[name], to_party_organization=pos[po], sent_on=sent, actor=actor)
            transfer_receive(transfer=transfer, received_on=received, actor=actor)

        return sent, write

    return [
        suspend("m2", D(2019, 7, 1), D(2019, 1, 1), reinstated_on=D(2021, 3, 1)),
        suspend("m3", D(2019, 3, 1), D(2018, 9, 1)),
        left("m3", D(2020, 5, 1)),
        out_and_back("m4", D(2021, 9, 1), D(2021, 10, 1), D(2023, 4, 1), D(2023, 5, 1)),
        died("m6", D(2022, 2, 1)),
        left("m7", D(2023, 1, 1)),
        moved("m10", "S", D(2021, 5, 20), D(2021, 6, 1)),
        suspend("m11", D(2022, 3, 1), D(2021, 9, 1), reinstated_on=D(2022, 3, 1)),
    ]


def _load(tree, actor, order: str, serial: int):
    pos, orgs, members = _district(tree, actor, serial)
    records = _records(pos, members, actor)
    if order == "chronological":
        records.sort(key=lambda record: record[0])
    elif order == "latest_first":
        records.sort(key=lambda record: record[0], reverse=True)
    else:
        random.Random(15).shuffle(records)
    for _day, write in records:
        write()
    return tree, orgs


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
        _load(tree, superuser, order, n)
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
    tree, orgs = _load(regions, superuser, "chronological", 0)
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


def _engine_statuses(day: dt.date) -> dict[int, str]:
    statement = (
        f"WITH {sql.STATUS_ON_DAY.replace('{members}', '')}\n"
        f"SELECT m.id, COALESCE(s.status, m.status) FROM {sql.T['member']} m"
        " LEFT JOIN status_on_day s ON s.member_id = m.id"
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
