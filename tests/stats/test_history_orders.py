"""A district's overlapping history loaded in three orders gives the same figures (issue 12).

Everything goes through the services, as an import or the API would: first the
things the history is about (organizations with their registration date, party
organizations with their founding date, instructors), then every dated record —
links with their end dates, instructor assignments, status changes (a
deregistration with its reinstatement is one fact), a dissolution — in
chronological order, current state first, and shuffled. The figures at five
dates must agree with each other and with the ones counted by hand below.
"""

import datetime as dt
import random
from collections.abc import Callable

import pytest

from branches.models import PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.instructors import instructor_assign, instructor_create
from branches.services.party_organizations import party_organization_create, party_organization_dissolve
from orgs.services.organizations import organization_create
from orgs.services.status_history import organization_status_record
from orgs.uscc import make_uscc
from stats.coverage.engine import coverage_figures
from tests.branches.factories import comprehensive_committee
from tests.orgs.factories import build_region_tree

D = dt.date
Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode

DATES = (D(2016, 3, 1), D(2018, 3, 1), D(2020, 10, 1), D(2022, 7, 1), D(2024, 6, 1))
# Counted by hand from the records of `_records` (see the comments there).
EXPECTED = {
    D(2016, 3, 1): {"total": 1, "single": 0, "joint": 1, "fallback": 0, "work_covered": 0},
    D(2018, 3, 1): {"total": 4, "single": 0, "joint": 3, "fallback": 0, "work_covered": 0},
    D(2020, 10, 1): {"total": 5, "single": 1, "joint": 1, "fallback": 2, "work_covered": 1},
    D(2022, 7, 1): {"total": 6, "single": 1, "joint": 2, "fallback": 2, "work_covered": 1},
    D(2024, 6, 1): {"total": 4, "single": 1, "joint": 2, "fallback": 0, "work_covered": 1},
}


def _entities(regions, actor, serial: int = 0):
    committee = comprehensive_committee(regions.district)

    def branch(name, kind, mode, founded):
        return party_organization_create(
            name=f"{name}{serial}",
            kind=kind,
            building_mode=mode,
            region=regions.street_a,
            parent=committee,
            founded_on=founded,
            actor=actor,
        )

    def org(letter, registered, n):
        return organization_create(
            actor=actor,
            name=f"历史组织{letter}{serial}",
            kind="private_non_enterprise",
            uscc=make_uscc("private_non_enterprise", "330499", 900 + 10 * serial + n),
            region=regions.community_a1,
            registered_on=registered,
        )

    pos = {
        "J1": branch("甲联合党支部", Kind.JOINT_BRANCH, Mode.JOINT, D(2016, 1, 1)),
        "J2": branch("乙联合党支部", Kind.JOINT_BRANCH, Mode.JOINT, D(2021, 1, 1)),
        "S1": branch("丙单独党支部", Kind.BRANCH, Mode.SINGLE, D(2019, 3, 1)),
        "F": branch("兜底党支部", Kind.BRANCH, Mode.FALLBACK, D(2015, 6, 1)),
    }
    orgs = {
        letter: org(letter, registered, n)
        for n, (letter, registered) in enumerate(
            [
                ("A", D(2015, 1, 1)),
                ("B", D(2016, 5, 1)),
                ("C", D(2017, 1, 1)),
                ("D", D(2018, 1, 1)),
                ("E", D(2019, 1, 1)),
                ("G", D(2020, 1, 1)),
            ]
        )
    }
    instructors = {
        name: instructor_create(
            name=name,
            dispatched_by="street",
            dispatching_body="东湖街道党工委",
            region=regions.street_a,
            actor=actor,
        )
        for name in ("指导员一", "指导员二")
    }
    return pos, orgs, instructors


def _records(pos, orgs, instructors, actor) -> list[tuple[dt.date, Callable[[], object]]]:
    """(date, write) pairs: every dated fact of the district's history."""

    def link(po, org, since, until=None):
        return since, lambda: coverage_link_create(
            party_organization=pos[po], organization=orgs[org], since=since, until=until, actor=actor
        )

    def assign(name, org, since, until=None):
        return since, lambda: instructor_assign(
            instructor=instructors[name], organization=orgs[org], since=since, until=until, actor=actor
        )

    def status(org, kind, on, reinstated_on=None):
        return on, lambda: organization_status_record(
            organization=orgs[org], kind=kind, on=on, reinstated_on=reinstated_on, actor=actor
        )

    def dissolve(po, on):
        return on, lambda: party_organization_dissolve(party_organization=pos[po], on=on, actor=actor)

    return [
        # A: joint J1, then its own single branch S1
        link("J1", "A", D(2016, 2, 1), D(2019, 3, 1)),
        link("S1", "A", D(2019, 3, 1)),
        # B: J1 until its deregistration; reinstated and covered by J2
        link("J1", "B", D(2016, 6, 1), D(2020, 9, 1)),
        status("B", "deregistered", D(2020, 9, 1), reinstated_on=D(2021, 3, 1)),
        link("J2", "B", D(2021, 3, 1)),
        # C: J1 until J1 dissolves, then the fallback branch until its revocation
        link("J1", "C", D(2017, 2, 1), D(2022, 6, 30)),
        dissolve("J1", D(2022, 6, 30)),
        link("F", "C", D(2022, 6, 30), D(2023, 4, 1)),
        status("C", "revoked", D(2023, 4, 1)),
        # D: work coverage by two instructors in turn (a gap in 2021)
        assign("指导员一", "D", D(2018, 6, 1), D(2021, 6, 1)),
        assign("指导员二", "D", D(2022, 1, 1)),
        # E: fallback, then J2
        link("F", "E", D(2019, 2, 1), D(2021, 1, 1)),
        link("J2", "E", D(2021, 1, 1)),
        # G: fallback until its deregistration
        link("F", "G", D(2020, 2, 1), D(2024, 1, 1)),
        status("G", "deregistered", D(2024, 1, 1)),
    ]


def _headline(figures: dict) -> dict:
    return {key: figures[key] for key in ("total", "single", "joint", "fallback", "work_covered")}


NAMING_KEYS = ("region_id", "code", "name", "id", "street", "street_code")


def _anonymous(value):
    """The figures without what differs between two districts (ids, codes, names)."""
    if isinstance(value, dict):
        return {
            k: _anonymous(v)
            for k, v in value.items()
            if k not in ("region_id", "code", "name", "id", "street", "street_code")
        }
    if isinstance(value, list):
        return [_anonymous(item) for item in value]
    return value


def _load(tree, superuser, order: str, serial: int) -> dict:
    """Load the history into `tree`'s district in `order`; its figures at the five dates."""
    pos, orgs, instructors = _entities(tree, superuser, serial)
    records = _records(pos, orgs, instructors, superuser)
    if order == "chronological":
        records.sort(key=lambda record: record[0])
    elif order == "current_state_first":
        records.sort(key=lambda record: record[0], reverse=True)
    else:
        random.Random(12).shuffle(records)
    for _day, write in records:
        write()
    return {day: coverage_figures(region=tree.district, day=day).to_dict() for day in DATES}


@pytest.mark.django_db
def test_coverage_figures_history_in_three_orders_identical_at_five_dates(regions, superuser):
    # given the same history loaded into three districts, in three orders
    trees = [regions, build_region_tree("330498"), build_region_tree("330497")]
    orders = ("chronological", "current_state_first", "random")
    results = [
        _load(tree, superuser, order, n) for n, (tree, order) in enumerate(zip(trees, orders, strict=True))
    ]
    # then every figure (headline, streets, kinds, modes) agrees at each of the five dates
    assert _anonymous(results[0]) == _anonymous(results[1]) == _anonymous(results[2])
    # and agrees with the figures counted by hand
    for result in results:
        assert {day: _headline(figures) for day, figures in result.items()} == EXPECTED
