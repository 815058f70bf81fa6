"""A district's member history (issue 12) and the figures hand-counted from it at five past dates."""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from branches.models import PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.party_organizations import party_organization_create
from members.models import Member
from members.services.members import member_create
from members.services.status import member_mark_deceased, member_mark_left, member_reinstate, member_suspend
from members.services.transfers import transfer_in, transfer_receive, transfer_send
from orgs.services.organizations import organization_create
from orgs.uscc import make_uscc
from tests.branches.factories import comprehensive_committee
from tests.members.factories import id_number_for

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


def load_member_history(tree, actor, order: str, serial: int):
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
