"""Demo alliances with their members, programs and progress, pairings and grid pairings."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.actors import DEMO_SEEDER
from alliances.demo.common import (
    ALLIANCES,
    FLAGSHIP_NAME,
    GRID_FIRST_BATCH,
    GRID_MONTHS,
    GRID_PAIRINGS,
    PAIRINGS,
    PARTNER_PLACES,
    PARTNER_UNITS,
    Seeder,
)
from alliances.models import Alliance, GridPairing, Pairing, Program
from alliances.services.alliances import alliance_create, membership_add
from alliances.services.pairings import (
    grid_pairing_create,
    grid_service_record,
    pairing_activity_record,
    pairing_create,
)
from alliances.services.programs import program_create, program_milestone_add, program_progress_record
from orgs.models import Region
from orgs.querysets import in_region_q
from orgs.services.status_history import registration_day


def seed_alliance_rows(seeder: Seeder) -> None:
    founded = date(2016, 7, 1)
    for index, (name, kind, fragments, description, programs, pairings) in enumerate(ALLIANCES):
        alliance = seeder.alliances().filter(name=name).first()
        members = seeder.members_for(fragments)
        if alliance is None:
            if not members:
                continue
            # Memberships are checked over their periods: nobody leads or joins before its registration.
            alliance = alliance_create(
                actor=DEMO_SEEDER,
                name=name,
                kind=kind,
                lead_organization=members[0],
                party_organization=seeder.committee,
                description=description,
                founded_on=max(founded + timedelta(days=30 * index), _registered(members[0])),
            )
            seeder.created["alliances"] += 1
            assert alliance.founded_on is not None  # given just above
            for org in members[1:]:
                joined = alliance.founded_on + timedelta(days=seeder.rng.randrange(30, 1500))
                membership_add(
                    alliance=alliance,
                    organization=org,
                    joined_on=min(max(joined, _registered(org)), seeder.today),
                    actor=DEMO_SEEDER,
                )
        for program_name, goals, budget, target in programs:
            _program(seeder, alliance, program_name, goals, Decimal(budget), target)
        for partner, partner_kind, ours, theirs in pairings:
            seed_pairing(seeder, partner, partner_kind, ours, theirs, alliance=alliance)


def _registered(org) -> date:
    return registration_day(org) or date(2000, 1, 1)


def _program(seeder: Seeder, alliance: Alliance, name: str, goals: str, budget: Decimal, target: int) -> None:
    if Program.objects.filter(alliance=alliance, name=name).exists():
        return
    started = max(alliance.founded_on or date(2017, 1, 1), date(2017, 1, 1))
    program = program_create(
        alliance=alliance,
        actor=DEMO_SEEDER,
        name=name,
        goals=goals,
        budget=budget,
        beneficiaries_target=target,
        started_on=started,
    )
    seeder.created["programs"] += 1
    program_milestone_add(
        program=program, title="项目启动", due_on=started + timedelta(days=60), actor=DEMO_SEEDER
    )
    program_milestone_add(
        program=program, title="年度总结评估", due_on=started + timedelta(days=365), actor=DEMO_SEEDER
    )
    reached, day = 0, started
    for _ in range(5):
        day = min(day + timedelta(days=seeder.rng.randrange(200, 400)), seeder.today)
        added = min(target // 5 + seeder.rng.randrange(0, max(target // 10, 1)), max(target - reached, 0))
        program_progress_record(
            program=program, on=day, beneficiaries_added=added, note="阶段进展", actor=DEMO_SEEDER
        )
        reached += added


def _within_life(seeder: Seeder, signed: date, side: object) -> date:
    """A pairing is signed while its side exists (pairings are checked over their period): not before
    the alliance's founding or the organization's registration, not after today."""
    start = getattr(side, "founded_on", None) or getattr(side, "registered_on", None)
    return min(max(signed, start) if start else signed, seeder.today)


def seed_pairing(seeder, partner, partner_kind, ours, theirs, *, alliance=None, organization=None) -> None:
    side = {"alliance": alliance} if alliance is not None else {"organization": organization}
    if Pairing.objects.filter(partner_name=partner, **side).exists():
        return
    signed = _within_life(
        seeder, date(2018, 3, 1) + timedelta(days=seeder.rng.randrange(0, 900)), alliance or organization
    )
    pairing = pairing_create(
        actor=DEMO_SEEDER,
        partner_name=partner,
        partner_kind=partner_kind,
        signed_on=signed,
        our_contribution=ours,
        partner_contribution=theirs,
        **side,
    )
    seeder.created["pairings"] += 1
    for n, title in enumerate(("共建签约仪式", "主题党日联合活动", "志愿服务进社区", "年度共建交流会")):
        on = min(signed + timedelta(days=120 * n + 1), seeder.today)
        pairing_activity_record(
            pairing=pairing,
            on=on,
            title=title,
            participants=seeder.rng.randrange(15, 80),
            beneficiaries=seeder.rng.randrange(50, 500),
            actor=DEMO_SEEDER,
        )


def _partner_names(seeder: Seeder) -> list[tuple[str, str]]:
    """(name, kind) of made-up partner units, distinct, in a fixed order."""
    units = [
        (f"{place}{unit}" if place == "示范区" else f"示范区{place}{unit}", kind)
        for unit_kind in PARTNER_UNITS
        for place in PARTNER_PLACES
        for unit, kind in [(unit_kind[1], unit_kind[0])]
    ]
    seeder.rng.shuffle(units)
    return units


def seed_more_pairings(seeder: Seeder) -> None:
    """The alliances' pairings up to Jing'an's 103 units, with a few activities each (alliances'
    services: an activity inside the agreement and not in the future)."""
    alliances = list(seeder.alliances().order_by("founded_on", "pk"))
    if not alliances:
        return
    have = Pairing.objects.filter(alliance__in=alliances)
    missing = PAIRINGS - have.count()
    if missing <= 0 or have.count() > len(ALLIANCES):  # written once, after the five first ones
        return
    taken = set(have.values_list("partner_name", flat=True))
    rng = seeder.rng
    pairings = []
    for n, (partner, kind) in enumerate(p for p in _partner_names(seeder) if p[0] not in taken):
        if n >= missing:
            break
        pairings.append(
            pairing_create(
                alliance=alliances[n % len(alliances)],
                partner_name=partner,
                partner_kind=kind,
                signed_on=_within_life(
                    seeder,
                    min(date(2018, 3, 1) + timedelta(days=rng.randrange(0, 2400)), seeder.today),
                    alliances[n % len(alliances)],
                ),
                our_contribution="组织志愿者开展专业服务",
                partner_contribution="提供场地、专业人员或物资支持",
                actor=DEMO_SEEDER,
            )
        )
    for pairing in pairings:
        for k, title in enumerate(("共建签约仪式", "联合志愿服务")):
            pairing_activity_record(
                pairing=pairing,
                on=min(pairing.signed_on + timedelta(days=1 + 150 * k), seeder.today),
                title=title,
                participants=rng.randrange(10, 60),
                beneficiaries=rng.randrange(30, 300),
                actor=DEMO_SEEDER,
            )
    seeder.created["pairings"] += len(pairings)


def _grid_since(seeder: Seeder, n: int) -> date:
    """The first batch joined three years ago; the others one after another since (the 30 → 436 growth)."""
    first = date(seeder.today.year - 3, 3, 1)
    if n < GRID_FIRST_BATCH:
        return first
    span = (seeder.today - timedelta(days=30) - first).days
    share = (n - GRID_FIRST_BATCH + 1) / (GRID_PAIRINGS - GRID_FIRST_BATCH)
    return first + timedelta(days=int(span * share))


def seed_grid_pairings(seeder: Seeder) -> None:
    """Grid pairings for GRID_PAIRINGS organizations of the district, with their recent monthly records,
    through grid_pairing_create and grid_service_record (a pairing starts on or after the organization's
    registration: the first batch is drawn from those registered by then).

    Written once: when the district already has grid pairings (the demo's or the user's), nothing."""
    if GridPairing.objects.filter(in_region_q(seeder.district, "organization__region__")).exists():
        return
    flagship = seeder.orgs.filter(name=FLAGSHIP_NAME).first()
    candidates = list(
        seeder.orgs.filter(kind__in=["private_non_enterprise", "community"])
        .select_related("region__parent")
        .order_by("pk")[: GRID_PAIRINGS + 1]
    )
    chosen = ([flagship] if flagship else []) + [o for o in candidates if o != flagship][: GRID_PAIRINGS - 1]
    first = _grid_since(seeder, 0)
    early = [o for o in chosen if _registered(o) <= first][:GRID_FIRST_BATCH]
    chosen = early + [o for o in chosen if o not in early]
    first_community: dict[int, Region] = {}
    for community in Region.objects.filter(parent__parent=seeder.district, kind="community").order_by("code"):
        first_community.setdefault(community.parent_id, community)
    grids = []
    for n, org in enumerate(chosen):
        community = org.region if org.region.kind == "community" else first_community.get(org.region_id)
        if community is None:
            continue
        since = _grid_since(seeder, n)
        grids.append(
            grid_pairing_create(
                organization=org,
                community=community,
                grid_name=f"{community.name}第{n % 4 + 1}网格",
                since=since if n < GRID_FIRST_BATCH else max(since, _registered(org)),
                services_planned="助老、助残、便民维修、政策宣传",
                actor=DEMO_SEEDER,
            )
        )
    seeder.created["grid_pairings"] += len(grids)
    this_month = seeder.today.replace(day=1)
    for grid in grids:
        month = this_month
        for _ in range(GRID_MONTHS):
            month = (month - timedelta(days=1)).replace(day=1)
            if month >= grid.since.replace(day=1):
                grid_service_record(
                    grid_pairing=grid,
                    month=month,
                    services_count=seeder.rng.randrange(4, 30),
                    actor=DEMO_SEEDER,
                )
