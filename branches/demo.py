"""The demo party tree: the district's comprehensive committee and 44 party organizations under it.

Shaped on the seeds (DOMAIN.md): Pinghu's 44 party organizations under a
committee founded 2014-11-12; Zhifu's mix, where the largest organizations
built their own (single) branches and most others share joint branches of
3-5 organizations; one fallback branch holds the fallback-managed orgs. Some
uncovered organizations get instructors (work coverage). The demo secretary
keeps one joint branch. Members (and so committee posts) come from members' demo.

Every row goes through branches' services as DEMO_SEEDER (the link and assignment rules hold:
an active organization over the period, within the branch's life, one link at a time).
Idempotent and confined: the tree is written once, with its committee, in one
transaction; links and assignments only for demo-district organizations without
one; nothing outside the demo district is read for writing. A second run writes
nothing; does nothing without the district.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from accounts.actors import DEMO_SEEDER
from accounts.models import Role, User
from accounts.services import user_links_set
from branches.models import CoverageLink, Instructor, PartyOrganization
from branches.services.coverage import coverage_link_create
from branches.services.instructors import instructor_assign, instructor_create, instructor_set_active
from branches.services.party_organizations import party_organization_create, party_organization_renew_term
from orgs.demo.scope import COMMITTEE_NAME, DISTRICT_CODE, demo_committee
from orgs.models import Organization, Region
from orgs.querysets import in_region_q

SEED = 20141112
COMMITTEE_FOUNDED = date(2014, 11, 12)  # Pinghu's comprehensive committee
GENERAL_BRANCHES = 2  # each with 2 branches under it
SINGLE_BRANCHES = 8
JOINT_BRANCHES = 28  # each covering 3-5 organizations of one street
JOINT_SIZES = (3, 4, 4, 5, 3)
INSTRUCTORS_PER_STREET = 1
INDUSTRY_INSTRUCTORS = 2
ASSIGNMENTS_PER_INSTRUCTOR = 5
PREDECESSOR_SINCE, HANDOVER = date(2017, 3, 1), date(2020, 1, 1)  # a retired instructor's one assignment
SECRETARY_USERNAME = "secretary"
Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def _short(org: Organization) -> str:
    return org.short_name or org.name


def _joint_name(street: Region, first: Organization) -> str:
    name = _short(first)
    return f"{name if name.startswith(street.name) else street.name + name}等联合党支部"


class _Seeder:
    def __init__(self, district: Region, today: date):
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.district = district
        self.today = today
        self.created = {"party_organizations": 0, "links": 0, "instructors": 0, "assignments": 0}
        self.links: list[tuple[PartyOrganization, Organization, date]] = []
        self.covered = set(
            CoverageLink.objects.filter(
                in_region_q(district, "organization__region__"), until__isnull=True
            ).values_list("organization_id", flat=True)
        )
        self.orgs = list(
            Organization.objects.filter(in_region_q(district, "region__"), status="active")
            .select_related("region__parent")
            .order_by("region__parent__code", "-staff_count", "pk")
        )

    def po(
        self, name: str, kind: str, mode: str, parent, region, founded: date, **extra
    ) -> PartyOrganization:
        existing = PartyOrganization.objects.filter(name=name, tree_id=parent.tree_id).first()
        if existing is not None:
            return existing
        self.created["party_organizations"] += 1
        term_started_on = extra.pop("term_started_on", None)
        po = party_organization_create(
            name=name,
            kind=kind,
            building_mode=mode,
            parent=parent,
            region=region,
            founded_on=founded,
            approval_document=f"示社党〔{founded.year}〕{self.rng.randrange(1, 60)}号",
            **extra,
            actor=DEMO_SEEDER,
        )
        if term_started_on and term_started_on > po.term_started_on:
            # The first term starts at the founding; a later one by an election (its own history entry).
            po = party_organization_renew_term(
                party_organization=po,
                on=term_started_on,
                document=f"示社党〔{term_started_on.year}〕选举结果批复",
                actor=DEMO_SEEDER,
            )
        return po

    def cover(self, po: PartyOrganization, orgs: list[Organization]) -> None:
        for org in orgs:
            if org.pk in self.covered:
                continue
            assert po.founded_on is not None  # every demo node has its founding date
            start = max(po.founded_on, org.registered_on or po.founded_on)
            self.links.append((po, org, min(start, self.today)))
            self.covered.add(org.pk)

    def term(self, founded: date) -> date:
        """Most terms started within the last three years; some are overdue for an election."""
        start = _day(self.rng, date(2021, 1, 1), date(2025, 12, 31))
        return min(max(start, founded), self.today)

    def street_of(self, org: Organization) -> Region:
        return org.region.parent if org.region.kind == "community" else org.region


def seed_party_organizations(today: date | None = None) -> dict[str, int]:
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return {"party_organizations": 0, "links": 0, "instructors": 0, "assignments": 0}
    seeder = _Seeder(district, today or timezone.localdate())
    committee = demo_committee(district)
    if committee is None:
        committee = party_organization_create(
            name=COMMITTEE_NAME,
            kind=Kind.COMPREHENSIVE_COMMITTEE,
            region=district,
            founded_on=COMMITTEE_FOUNDED,
            term_started_on=date(2024, 11, 20),
            approval_document="示委组〔2014〕58号",
            has_committee=True,
            actor=DEMO_SEEDER,
        )
        seeder.created["party_organizations"] += 1
    # One transaction (seed_demo) writes the whole tree, so a tree with nodes is a seeded tree.
    if seeder.orgs and committee.is_leaf_node():
        _seed_tree(seeder, committee)
        for po, org, since in seeder.links:  # checked: an active org, the branch alive, one link at a time
            coverage_link_create(party_organization=po, organization=org, since=since, actor=DEMO_SEEDER)
        seeder.created["links"] = len(seeder.links)
        _seed_instructors(seeder)
        _link_secretary(committee)
    return seeder.created


def _seed_tree(seeder: _Seeder, committee: PartyOrganization) -> None:
    rng = seeder.rng
    registered = [
        o for o in seeder.orgs if o.registration == "registered" and o.management_mode != "fallback"
    ]
    # The largest organizations built their own: general branches first, then single branches.
    largest = sorted(registered, key=lambda o: (-o.staff_count, o.pk))[: GENERAL_BRANCHES + SINGLE_BRANCHES]
    for i, org in enumerate(largest):
        founded = _day(rng, date(2015, 3, 1), date(2022, 12, 31))
        kind = Kind.GENERAL_BRANCH if i < GENERAL_BRANCHES else Kind.BRANCH
        suffix = "党总支" if kind == Kind.GENERAL_BRANCH else "党支部"
        po = seeder.po(
            f"{_short(org)}{suffix}",
            kind,
            Mode.SINGLE,
            committee,
            seeder.street_of(org),
            founded,
            term_started_on=seeder.term(founded),
            has_committee=kind == Kind.GENERAL_BRANCH,
        )
        seeder.cover(po, [org])
        if kind == Kind.GENERAL_BRANCH:
            for n, unit in enumerate(("第一", "第二")):
                sub_founded = founded + timedelta(days=30 * (n + 1))
                seeder.po(
                    f"{_short(org)}{unit}党支部",
                    Kind.BRANCH,
                    Mode.SINGLE,
                    po,
                    po.region,
                    sub_founded,
                    term_started_on=seeder.term(sub_founded),
                )
    _seed_joint(seeder, committee, [o for o in registered if o.pk not in seeder.covered])
    _seed_fallback_and_temporary(seeder, committee)


def _seed_joint(seeder: _Seeder, committee: PartyOrganization, candidates: list[Organization]) -> None:
    """Joint branches of 3-5 organizations of the same street, spread over the streets."""
    by_street: dict[int, list[Organization]] = {}
    for org in candidates:
        by_street.setdefault(seeder.street_of(org).pk, []).append(org)
    streets = sorted(by_street, key=lambda pk: -len(by_street[pk]))
    made = 0
    while made < JOINT_BRANCHES and any(by_street.values()):
        for street_pk in streets:
            pool = by_street[street_pk]
            size = JOINT_SIZES[made % len(JOINT_SIZES)]
            if made >= JOINT_BRANCHES or len(pool) < size:
                continue
            group, by_street[street_pk] = pool[:size], pool[size:]
            street = seeder.street_of(group[0])
            founded = _day(seeder.rng, date(2016, 1, 1), date(2023, 6, 30))
            po = seeder.po(
                _joint_name(street, group[0]),
                Kind.JOINT_BRANCH,
                Mode.JOINT,
                committee,
                street,
                founded,
                term_started_on=seeder.term(founded),
            )
            seeder.cover(po, group)
            made += 1


def _seed_fallback_and_temporary(seeder: _Seeder, committee: PartyOrganization) -> None:
    fallback = seeder.po(
        "示范区社会组织兜底党支部", Kind.BRANCH, Mode.FALLBACK, committee, seeder.district, date(2015, 6, 1)
    )
    seeder.cover(fallback, [o for o in seeder.orgs if o.management_mode == "fallback"])
    seeder.po(
        "示范区公益创投项目临时党支部",
        Kind.TEMPORARY_BRANCH,
        Mode.SINGLE,
        committee,
        seeder.district,
        date(2025, 3, 1),
    )


def _seed_instructors(seeder: _Seeder) -> None:
    """Instructors for some organizations that are not org-covered (work coverage)."""
    if Instructor.objects.filter(region__tree_id=seeder.district.tree_id).exists():
        return
    uncovered = [o for o in seeder.orgs if o.pk not in seeder.covered and o.registration == "registered"]
    streets = list(Region.objects.filter(parent=seeder.district).order_by("code"))
    specs = [("street", f"{s.name}党工委", s) for s in streets[: len(streets) * INSTRUCTORS_PER_STREET]]
    specs += [("industry", "示范区民政局机关党委", seeder.district)] * INDUSTRY_INSTRUCTORS
    surnames, given = "王李张刘陈杨黄赵吴周徐孙", "建华秀英志强丽娟海燕晓东文静国庆春梅"
    for i, (dispatched_by, body, region) in enumerate(specs):
        name = surnames[i % len(surnames)] + given[(2 * i) % len(given)] + given[(2 * i + 1) % len(given)]
        instructor = instructor_create(
            name=name,
            dispatched_by=dispatched_by,
            dispatching_body=body,
            region=region,
            actor=DEMO_SEEDER,
        )
        seeder.created["instructors"] += 1
        mine = [o for o in uncovered if dispatched_by == "industry" or seeder.street_of(o).pk == region.pk]
        for org in mine[:ASSIGNMENTS_PER_INSTRUCTOR]:
            since = max(org.registered_on or date(2020, 1, 1), date(2020, 1, 1))
            instructor_assign(instructor=instructor, organization=org, since=since, actor=DEMO_SEEDER)
            seeder.created["assignments"] += 1
        if i == 0:
            _seed_predecessor(seeder, region, body, mine[:ASSIGNMENTS_PER_INSTRUCTOR])
        uncovered = [o for o in uncovered if o not in mine[:ASSIGNMENTS_PER_INSTRUCTOR]]


def _seed_predecessor(seeder: _Seeder, street: Region, body: str, orgs: list[Organization]) -> None:
    """The first street's earlier instructor: served one organization until the handover, then retired
    (instructor_set_active refuses while an assignment is open). History only: today's figures and the
    last year's snapshots do not change."""
    org = next((o for o in orgs if o.registered_on and o.registered_on <= PREDECESSOR_SINCE), None)
    if org is None:
        return
    retired = instructor_create(
        name="吴春梅", dispatched_by="street", dispatching_body=body, region=street, actor=DEMO_SEEDER
    )
    instructor_assign(
        instructor=retired, organization=org, since=PREDECESSOR_SINCE, until=HANDOVER, actor=DEMO_SEEDER
    )
    instructor_set_active(instructor=retired, is_active=False, actor=DEMO_SEEDER)
    seeder.created["instructors"] += 1
    seeder.created["assignments"] += 1


def _link_secretary(committee: PartyOrganization) -> None:
    """The demo secretary keeps a joint branch of the first street (never overwrites a link)."""
    branch = (
        PartyOrganization.objects.filter(tree_id=committee.tree_id, kind=Kind.JOINT_BRANCH)
        .order_by("region__code", "lft")
        .first()
    )
    if branch is not None:
        secretary = User.objects.filter(
            username=SECRETARY_USERNAME, role=Role.SECRETARY, party_organization__isnull=True
        ).first()
        if secretary is not None:
            user_links_set(
                user=secretary,
                organization=secretary.organization,
                party_organization=branch,
                actor=DEMO_SEEDER,
            )
