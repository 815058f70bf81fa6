"""Demo alliances with their members, programs and progress, pairings and grid pairings."""

from datetime import date, timedelta
from decimal import Decimal

from alliances.demo.common import ALLIANCES, FLAGSHIP_NAME, GRID_MONTHS, GRID_PAIRINGS, Seeder
from alliances.models import Alliance, GridPairing, GridServiceRecord, Pairing, Program
from alliances.services.alliances import alliance_create, membership_add
from alliances.services.pairings import (
    grid_pairing_create,
    grid_service_record,
    pairing_activity_record,
    pairing_create,
)
from alliances.services.programs import program_create, program_milestone_add, program_progress_record


def seed_alliance_rows(seeder: Seeder) -> None:
    founded = date(2016, 7, 1)
    for index, (name, kind, fragments, description, programs, pairings) in enumerate(ALLIANCES):
        alliance = Alliance.objects.filter(name=name).first()
        members = seeder.members_for(fragments)
        if alliance is None:
            if not members:
                continue
            alliance = alliance_create(
                actor=None,
                name=name,
                kind=kind,
                lead_organization=members[0],
                party_organization=seeder.committee,
                description=description,
                founded_on=founded + timedelta(days=30 * index),
            )
            seeder.created["alliances"] += 1
            for org in members[1:]:
                membership_add(
                    alliance=alliance,
                    organization=org,
                    joined_on=alliance.founded_on + timedelta(days=seeder.rng.randrange(30, 1500)),
                    actor=None,
                )
        for program_name, goals, budget, target in programs:
            _program(seeder, alliance, program_name, goals, Decimal(budget), target)
        for partner, partner_kind, ours, theirs in pairings:
            seed_pairing(seeder, partner, partner_kind, ours, theirs, alliance=alliance)


def _program(seeder: Seeder, alliance: Alliance, name: str, goals: str, budget: Decimal, target: int) -> None:
    if Program.objects.filter(alliance=alliance, name=name).exists():
        return
    started = max(alliance.founded_on or date(2017, 1, 1), date(2017, 1, 1))
    program = program_create(
        alliance=alliance,
        actor=None,
        name=name,
        goals=goals,
        budget=budget,
        beneficiaries_target=target,
        started_on=started,
    )
    seeder.created["programs"] += 1
    program_milestone_add(program=program, title="项目启动", due_on=started + timedelta(days=60), actor=None)
    program_milestone_add(
        program=program, title="年度总结评估", due_on=started + timedelta(days=365), actor=None
    )
    reached, day = 0, started
    for _ in range(5):
        day = min(day + timedelta(days=seeder.rng.randrange(200, 400)), seeder.today)
        added = min(target // 5 + seeder.rng.randrange(0, max(target // 10, 1)), max(target - reached, 0))
        program_progress_record(
            program=program, on=day, beneficiaries_added=added, note="阶段进展", actor=None
        )
        reached += added


def seed_pairing(seeder, partner, partner_kind, ours, theirs, *, alliance=None, organization=None) -> None:
    side = {"alliance": alliance} if alliance is not None else {"organization": organization}
    if Pairing.objects.filter(partner_name=partner, **side).exists():
        return
    signed = date(2018, 3, 1) + timedelta(days=seeder.rng.randrange(0, 900))
    pairing = pairing_create(
        actor=None,
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
            actor=None,
        )


def seed_grid_pairings(seeder: Seeder) -> None:
    flagship = seeder.orgs.filter(name=FLAGSHIP_NAME).first()
    candidates = list(
        seeder.orgs.filter(kind__in=["private_non_enterprise", "community"]).order_by("pk")[:40]
    )
    chosen = ([flagship] if flagship else []) + [o for o in candidates if o != flagship][: GRID_PAIRINGS - 1]
    for n, org in enumerate(chosen, 1):
        street = org.region.parent if org.region.kind == "community" else org.region
        community = org.region if org.region.kind == "community" else street.get_children().first()
        grid_name = f"{community.name}第{n % 4 + 1}网格"
        grid = GridPairing.objects.filter(organization=org, grid_name=grid_name, until__isnull=True).first()
        if grid is None:
            since = (seeder.today - timedelta(days=400)).replace(day=1)
            grid = grid_pairing_create(
                organization=org,
                community=community,
                grid_name=grid_name,
                since=since,
                services_planned="助老、助残、便民维修、政策宣传",
                actor=None,
            )
            seeder.created["grid_pairings"] += 1
        month = seeder.today.replace(day=1)
        done = set(GridServiceRecord.objects.filter(grid_pairing=grid).values_list("month", flat=True))
        for _ in range(GRID_MONTHS):
            month = (month - timedelta(days=1)).replace(day=1)
            if month not in done:
                grid_service_record(
                    grid_pairing=grid,
                    month=month,
                    services_count=seeder.rng.randrange(4, 30),
                    note="",
                    actor=None,
                )
