"""Data builders for the coverage engine's tests.

They write rows directly, not through the services: the engine reads history,
and the tests need histories today's services would refuse to create (a link
left running after its branch was dissolved, two links overlapping in imported
data, back-dated founding). Regions come from the shared fixture tree
(district 330499, streets A 001 and B 002, two communities each).
"""

import datetime as dt
import itertools

from branches.models import CoverageLink, Instructor, InstructorAssignment, PartyOrganization
from members.models import Member
from orgs.models import Organization, Region
from orgs.services.status_history import status_history_seed
from orgs.uscc import make_uscc

_serial = itertools.count(1)
COMMITTEE_FOUNDED = dt.date(2014, 11, 12)


def committee(region: Region) -> PartyOrganization:
    """The comprehensive committee of `region`'s district (the root of the party tree), made once."""
    found = PartyOrganization.objects.filter(kind="comprehensive_committee", region=region).first()
    return found or PartyOrganization.objects.create(
        name=f"{region.name}社会组织综合党委",
        kind="comprehensive_committee",
        building_mode="",
        region=region,
        founded_on=COMMITTEE_FOUNDED,
    )


def party_org(
    name: str,
    *,
    mode: str,
    region: Region,
    parent: PartyOrganization,
    kind: str | None = None,
    founded_on: dt.date = dt.date(2019, 1, 1),
    dissolved_on: dt.date | None = None,
) -> PartyOrganization:
    kind = kind or ("joint_branch" if mode == "joint" else "branch")
    return PartyOrganization.objects.create(
        name=name,
        kind=kind,
        building_mode=mode,
        region=region,
        parent=parent,
        founded_on=founded_on,
        status="dissolved" if dissolved_on else "active",
        dissolved_on=dissolved_on,
    )


def organization(
    name: str,
    *,
    region: Region,
    kind: str = "private_non_enterprise",
    management_mode: str = "territorial",
    staff_count: int = 5,
    registered_on: dt.date | None = dt.date(2018, 1, 1),
    status: str = "active",
    status_changed_on: dt.date | None = None,
) -> Organization:
    """A registered organization (a filed one for kind "community")."""
    filed = kind == "community"
    org = Organization.objects.create(
        name=name,
        kind=kind,
        registration="filed" if filed else "registered",
        uscc=None if filed else make_uscc(kind, "330499", next(_serial)),
        management_mode=management_mode,
        region=region,
        staff_count=staff_count,
        registered_on=registered_on,
        status=status,
        status_changed_on=status_changed_on,
    )
    status_history_seed()  # its status history, from the columns (as the bulk paths do)
    return org


def link(
    po: PartyOrganization, org: Organization, since: dt.date, until: dt.date | None = None
) -> CoverageLink:
    return CoverageLink.objects.create(party_organization=po, organization=org, since=since, until=until)


def instructor_assignment(
    org: Organization, since: dt.date, until: dt.date | None = None, *, region: Region | None = None
) -> InstructorAssignment:
    instructor = Instructor.objects.create(
        name=f"指导员{next(_serial)}",
        dispatched_by="street",
        dispatching_body="街道党工委",
        region=region or org.region,
    )
    return InstructorAssignment.objects.create(
        instructor=instructor, organization=org, since=since, until=until
    )


def member(
    po: PartyOrganization,
    *,
    employer: Organization | None = None,
    stage: str = "full",
    status: str = "active",
    applied_on: dt.date | None = None,
    activist_on: dt.date | None = None,
    candidate_on: dt.date | None = None,
    admitted_on: dt.date | None = None,
    full_on: dt.date | None = None,
) -> Member:
    """A person with the given stage dates (the engine reads the dates, `stage` is the current one)."""
    n = next(_serial)
    return Member.objects.create(
        name=f"党员{n}",
        gender="female",
        birth_date=dt.date(1985, 1, 1),
        id_number=f"coverage-test-{n}",
        id_number_hash=f"coverage-test-{n}",
        party_organization=po,
        employer=employer,
        stage=stage,
        status=status,
        applied_on=applied_on,
        activist_on=activist_on,
        candidate_on=candidate_on,
        admitted_on=admitted_on,
        full_on=full_on,
    )


def full_members(po: PartyOrganization, employer: Organization, count: int, full_on: dt.date, **extra):
    return [
        member(po, employer=employer, admitted_on=full_on - dt.timedelta(days=366), full_on=full_on, **extra)
        for _ in range(count)
    ]


def bulk_dataset(region: Region, parent: PartyOrganization, size: int, *, day: dt.date) -> None:
    """`size` organizations spread over `region`'s communities: a mix of single/joint/fallback links
    and instructors, a tenth of them (joint-covered) employing 3 full members. For query-count
    comparisons; a handful of bulk inserts."""
    communities = list(Region.objects.filter(kind="community", tree_id=region.tree_id).order_by("code"))
    pos = {
        mode: party_org(f"批量{mode}支部{next(_serial)}", mode=mode, region=communities[0], parent=parent)
        for mode in ("single", "joint", "fallback")
    }
    start = next(_serial) * 1000
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"批量社会组织{start + i}",
            kind="community",
            registration="filed",
            region=communities[i % len(communities)],
            staff_count=i % 60,
            registered_on=dt.date(2018, 1, 1),
        )
        for i in range(size)
    )
    modes = ("single", "joint", "fallback", None, None)
    status_history_seed()  # the bulk paths seed the status histories from the columns
    CoverageLink.objects.bulk_create(
        CoverageLink(party_organization=pos[mode], organization=org, since=day - dt.timedelta(days=400))
        for org, mode in zip(orgs, itertools.cycle(modes), strict=False)
        if mode
    )
    instructor = Instructor.objects.create(
        name="批量指导员", dispatched_by="street", dispatching_body="街道党工委", region=region
    )
    InstructorAssignment.objects.bulk_create(
        InstructorAssignment(instructor=instructor, organization=org, since=day - dt.timedelta(days=30))
        for org in orgs[3::5]
    )
    Member.objects.bulk_create(
        Member(
            name=f"批量党员{start}-{i}",
            gender="male",
            birth_date=dt.date(1980, 1, 1),
            id_number=f"bulk-{start}-{i}",
            id_number_hash=f"bulk-{start}-{i}",
            party_organization=pos["joint"],
            employer=org,
            stage="full",
            full_on=dt.date(2020, 1, 1),
        )
        for i, org in enumerate(orgs[1::10] * 3)
    )
