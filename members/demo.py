"""Demo members: 326 made-up Party members (Pinghu's figure, DOMAIN.md: full + probationary) across the
demo party organizations, and people in the earlier stages of the pipeline on top.

Pipelines in every stage, valid made-up ID numbers (computed check characters,
address codes stdnum knows for the birth year), names from Faker zh_CN, employers
among the organizations each party organization covers. Deterministic (a fixed
seed), written once into the demo committee's tree only: a second run writes nothing.
Every person is registered through member_create (identity, employer, stage dates): full members,
applicants and activists at their stage; candidates and probationary members as the activists they
were, then walked on through the stage services (cultivation contact, introducers who were full
members on the day, training, political review, six-monthly reviews, development plan, candidate,
application form, admission vote), so each step's rules hold. Committee posts go through branches'
committee_post_create; two pending transfers and one received from outside the system (transfer_in,
which registers that person through member_create) through members.services.transfers.
Nothing happens when branches' demo tree is absent.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts.actors import DEMO_SEEDER
from accounts.models import User
from branches.models import CommitteePost, CoverageLink, PartyOrganization
from branches.services.posts import committee_post_create
from members.dates import add_months
from members.id_numbers import address_warning, make_id_number
from members.models import Member, RecruitmentRecord, StageChange
from members.services.members import id_number_hash, member_create, stage_date_errors
from members.services.recruitment_steps import recruitment_record, reviews_needed
from members.services.stages import (
    member_admit,
    member_make_candidate,
    member_record_political_review,
    member_record_training,
    member_set_contacts,
    member_set_introducers,
)
from members.services.transfers import transfer_in, transfer_send
from orgs.demo.scope import demo_committee, demo_tree_q

SEED = 20141112  # the comprehensive committee's founding day
PARTY_MEMBERS = 326  # full + probationary, the figure the dashboard shows as 党员
# Share of each stage among the people of a recruiting organization (the rest are full members).
PIPELINE_SHARES = {"applicant": 0.08, "activist": 0.08, "candidate": 0.05, "probationary": 0.07}
SECRETARY_SHARE = 0.75  # organizations given a secretary post (the rest show the "no secretary" warning)
# Pinghu, Jiaxing, Tongxiang, Haining, Jiashan, Haiyan, Hangzhou, Shanghai: tried in turn until
# stdnum's table knows the code for the person's birth year.
ADDRESS_CODES = ("330482", "330402", "330411", "330421", "330424", "330481", "330105", "310104", "110105")
EDUCATION_WEIGHTS = {"senior": 2, "college": 3, "bachelor": 5, "master": 2, "doctor": 1}
PHONE_PREFIXES = ("135", "136", "138", "139", "150", "158", "187", "189", "133", "177")
INTRODUCER_YEARS = 2  # introducers are full members at least this long (before every demo candidate)
Kind = RecruitmentRecord.Kind


@dataclass
class _Plan:
    po: PartyOrganization
    stage: str
    employers: list[int]
    introducer: bool = False  # one of the first two full members: the introducers of its candidates


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _id_number(rng: random.Random, birth: date, male: bool, taken: set[str]) -> str:
    for code in ADDRESS_CODES:
        for _attempt in range(20):
            sequence = rng.randrange(1 if male else 2, 999, 2)
            number = make_id_number(code, birth, sequence)
            if number in taken:
                continue
            if address_warning(number):
                break  # this code is unknown for that year: try the next one
            taken.add(number)
            return number
    raise RuntimeError(f"no demo ID number for {birth}")


def _stage_dates(rng: random.Random, stage: str, birth: date, today: date) -> dict:
    """Dates that satisfy the pipeline's rules, most recent stage last."""
    adult = add_months(birth, 12 * 18 + 1)
    admitted: date | None
    candidate: date | None
    if stage == "applicant":
        return {"applied_on": max(_day(rng, today - timedelta(days=300), today), adult)}
    if stage == "full":
        full_on = max(_day(rng, date(1990, 1, 1), today - timedelta(days=60)), add_months(adult, 48))
        full_on = min(full_on, today)
        admitted = add_months(full_on, -12)
        candidate = add_months(admitted, -rng.randint(2, 5))
        activist = add_months(candidate, -rng.randint(12, 20))
        applied = add_months(activist, -rng.randint(2, 8))
        return {
            "applied_on": applied,
            "activist_on": activist,
            "candidate_on": candidate,
            "admitted_on": admitted,
            "full_on": full_on,
        }
    if stage == "probationary":
        # Some are past their year (due for conversion: the reminder job's work).
        admitted = _day(rng, today - timedelta(days=420), today - timedelta(days=20))
    else:
        admitted = None
    if stage == "candidate":
        candidate = _day(rng, today - timedelta(days=200), today - timedelta(days=5))
    elif admitted is not None:
        candidate = add_months(admitted, -rng.randint(2, 5))
    else:
        candidate = None
    if candidate is not None:
        activist = add_months(candidate, -rng.randint(12, 18))
    else:
        activist = _day(rng, today - timedelta(days=500), today - timedelta(days=10))
    applied = add_months(activist, -rng.randint(2, 8))
    dates = {"applied_on": applied, "activist_on": activist}
    if candidate is not None:
        dates["candidate_on"] = candidate
    if admitted is not None:
        dates["admitted_on"] = admitted
    return dates


def _plans(rng: random.Random, pos: list[PartyOrganization], secretary_po_id: int | None) -> list[_Plan]:
    """Exactly PARTY_MEMBERS party members (full + probationary) and pipeline people on top."""
    covered: dict[int, list[int]] = {}
    for po_id, org_id in CoverageLink.objects.filter(
        party_organization__in=pos, until__isnull=True
    ).values_list("party_organization_id", "organization_id"):
        covered.setdefault(po_id, []).append(org_id)
    # Larger bodies hold more members; every organization gets at least three.
    weights = [
        4 if po.kind in ("general_branch", "committee") else 2 if po.kind == "joint_branch" else 1
        for po in pos
    ]
    counts = [3] * len(pos)
    for index in rng.choices(range(len(pos)), weights=weights, k=max(PARTY_MEMBERS - 3 * len(pos), 0)):
        counts[index] += 1
    pipeline = [s for s in PIPELINE_SHARES if s != "probationary"]
    plans: list[_Plan] = []
    for po, count in zip(pos, counts, strict=True):
        stages = ["full"] * count
        if po.kind != "temporary_branch":  # a temporary branch does not recruit
            for i in range(2, count):  # the first two stay full: introducers and secretary
                if rng.random() < PIPELINE_SHARES["probationary"]:
                    stages[i] = "probationary"
            if po.pk == secretary_po_id and "probationary" not in stages:  # the secretary sees every stage
                stages[count - 1] = "probationary"
            for stage in pipeline:
                stages += [stage] * sum(rng.random() < PIPELINE_SHARES[stage] for _ in range(count))
            if po.pk == secretary_po_id:
                stages += [stage for stage in pipeline if stage not in stages]
        plans.extend(
            _Plan(po=po, stage=stage, employers=covered.get(po.pk, []), introducer=i < 2)
            for i, stage in enumerate(stages)
        )
    return plans


def _person(rng: random.Random, fake: Faker, plan: _Plan, today: date, taken: set[str]) -> Member:
    """An unsaved person with the plan's stage and its dates (the draws fixed by SEED, in plan order)."""
    male = rng.random() < 0.55
    oldest, youngest = (
        (date(1955, 1, 1), date(1998, 12, 31))
        if plan.stage == "full"
        else (date(1975, 1, 1), date(2004, 6, 30))
    )
    birth = _day(rng, oldest, youngest)
    number = _id_number(rng, birth, male, taken)
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    member = Member(
        name=fake.name_male() if male else fake.name_female(),
        gender="male" if male else "female",
        birth_date=birth,
        id_number=number,
        id_number_hash=id_number_hash(number),
        phone=phone,
        education=rng.choices(list(EDUCATION_WEIGHTS), list(EDUCATION_WEIGHTS.values()))[0],
        employer_id=rng.choice(plan.employers) if plan.employers and rng.random() < 0.85 else None,
        party_organization=plan.po,
        stage=plan.stage,
        **_stage_dates(rng, plan.stage, birth, today),
    )
    if plan.stage in ("candidate", "probationary"):
        member.training_hours, member.training_days = rng.choice([(24, 3), (32, 4), (0, 3), (26, 0)])
        assert member.candidate_on is not None  # a candidate's or probationary's date (_stage_dates)
        member.political_review_passed_on = add_months(member.candidate_on, -1)
    if plan.introducer:
        # An introducer must be a full member on the day the people they introduce became candidates
        # (at the earliest INTRODUCER_YEARS before today): their membership is dated back if need be.
        _date_back_full_member(member, add_months(today, -12 * INTRODUCER_YEARS))
    if plan.stage == "probationary":
        # The admission vote falls on a day the admitting branch existed (member_admit's rule).
        assert member.admitted_on is not None and member.candidate_on is not None
        founded = plan.po.founded_on
        if founded and member.admitted_on < founded:
            member.admitted_on = min(founded + timedelta(days=30), today)
            member.candidate_on = min(member.candidate_on, member.admitted_on)
    errors = stage_date_errors(member, today)
    if errors:  # the generator's own defect: fail loudly rather than seed bad data
        raise ValueError(f"demo member {member.name}: {errors}")
    return member


def _date_back_full_member(member: Member, latest: date) -> None:
    """Move a full member's pipeline dates back so that full_on falls on or before `latest`."""
    assert member.full_on is not None
    if member.full_on <= latest:
        return
    shift = member.full_on - latest
    for field in ("applied_on", "activist_on", "candidate_on", "admitted_on", "full_on"):
        setattr(member, field, getattr(member, field) - shift)


ENTRY_STAGE = {"candidate": "activist", "probationary": "activist"}  # walked on by the stage services
REGISTERED_FIELDS = (
    "name", "id_number", "gender", "birth_date", "phone", "education", "party_organization",
    "applied_on", "activist_on",
)  # fmt: skip
LATER_FIELDS = ("candidate_on", "admitted_on", "full_on")


def _register(person: Member) -> Member:
    """member_create for the person: a full member or applicant or activist as they are; a candidate or a
    probationary member as the activist they were (the stage services then take them further)."""
    stage = ENTRY_STAGE.get(person.stage, person.stage)
    dates = {} if stage in ENTRY_STAGE.values() else {f: getattr(person, f) for f in LATER_FIELDS}
    member = member_create(
        **{f: getattr(person, f) for f in REGISTERED_FIELDS},
        **dates,
        employer=person.employer,
        stage=stage,
        document="示例数据",
        actor=DEMO_SEEDER,
    )
    member.planned = person  # type: ignore[attr-defined]  # the walk below reads the planned dates
    return member


def _walk(member: Member, planned: Member, full: list[Member]) -> None:
    """Take an activist on through the stage services to their planned stage: cultivation contact,
    introducers, training, political review, six-monthly reviews, development plan, candidate, then
    the application form and the admission vote. Each step checks its rules (members.services.stages)."""
    member_set_contacts(member=member, contacts=full[:1], actor=DEMO_SEEDER)
    if planned.stage not in ("candidate", "probationary"):
        return
    assert planned.candidate_on is not None and planned.activist_on is not None
    member_set_introducers(member=member, introducers=full[:2], actor=DEMO_SEEDER)
    member_record_training(
        member=member, hours=planned.training_hours, days=planned.training_days, actor=DEMO_SEEDER
    )
    assert planned.political_review_passed_on is not None
    member_record_political_review(
        member=member, passed_on=planned.political_review_passed_on, actor=DEMO_SEEDER
    )
    for k in range(1, reviews_needed(member, planned.candidate_on) + 1):
        recruitment_record(
            member=member,
            kind=Kind.ACTIVIST_REVIEW,
            on=add_months(planned.activist_on, k * settings.ACTIVIST_REVIEW_MONTHS),
            actor=DEMO_SEEDER,
        )
    recruitment_record(
        member=member,
        kind=Kind.DEVELOPMENT_PLAN,
        on=max(add_months(planned.candidate_on, -1), planned.activist_on),
        actor=DEMO_SEEDER,
    )
    member = member_make_candidate(member=member, on=planned.candidate_on, actor=DEMO_SEEDER)
    if planned.stage != "probationary":
        return
    assert planned.admitted_on is not None
    recruitment_record(
        member=member,
        kind=Kind.APPLICATION_FORM,
        on=planned.candidate_on,
        number=f"示{planned.candidate_on.year}{member.pk:05d}",
        actor=DEMO_SEEDER,
    )
    member_admit(member=member, admitted_on=planned.admitted_on, actor=DEMO_SEEDER)


def _walk_all(members: list[Member]) -> int:
    """Contacts (1) for activists and those past that stage, introducers (2) for candidates and
    probationary members: the first two full members of their party organization. Returns the links."""
    full_by_po: dict[int, list[Member]] = {}
    for member in members:
        if member.stage == "full":
            full_by_po.setdefault(member.party_organization_id, []).append(member)
    links = 0
    for member in members:
        planned: Member = member.planned  # type: ignore[attr-defined]  # set by _register
        full = full_by_po.get(member.party_organization_id, [])[:2]
        if planned.stage in ("applicant", "full") or len(full) < 2:
            continue
        _walk(member, planned, full)
        links += 3 if planned.stage in ("candidate", "probationary") else 1
    return links


def _seed_posts(rng: random.Random, members: list[Member], today: date) -> int:
    created = 0
    by_po: dict[int, list[Member]] = {}
    for member in members:
        if member.stage == "full":
            by_po.setdefault(member.party_organization_id, []).append(member)
    for po_id, full in sorted(by_po.items()):
        if (
            rng.random() > SECRETARY_SHARE
            or CommitteePost.objects.filter(party_organization_id=po_id).exists()
        ):
            continue
        po = full[0].party_organization
        full_on = full[0].full_on
        assert full_on is not None  # a full member
        since = min(
            max(po.founded_on or date(2015, 1, 1), full_on, po.term_started_on or date(2000, 1, 1)),
            today,
        )
        committee_post_create(
            party_organization=po, member=full[0], post="secretary", since=since, actor=DEMO_SEEDER
        )
        created += 1
        if po.has_committee and len(full) >= 3:
            # a post from the day its holder is a full member (committee posts are checked over their period)
            holder_since = max(since, full[2].full_on or since)
            committee_post_create(
                party_organization=po,
                member=full[2],
                post="organization",
                since=holder_since,
                actor=DEMO_SEEDER,
            )
            created += 1
    return created


def _seed_transfers(members: list[Member], secretary_po_id: int | None, today: date) -> int:
    """Two transfers waiting for the demo secretary's receipt, and one sent out of the system."""
    if secretary_po_id is None:
        return 0
    target = PartyOrganization.objects.get(pk=secretary_po_id)
    senders = [m for m in members if m.stage == "full" and m.party_organization_id != secretary_po_id]
    posted = set(CommitteePost.objects.values_list("member_id", flat=True))
    senders = [m for m in senders if m.pk not in posted and m.party_organization.kind != "temporary_branch"]
    created = 0
    for member in senders[:2]:
        transfer_send(
            member=member,
            to_party_organization=target,
            sent_on=today - timedelta(days=3),
            letter_number=f"示组转〔{today.year}〕{member.pk}号",
            reason="工作单位变动",
            actor=DEMO_SEEDER,
        )
        created += 1
    if len(senders) > 2:
        transfer_send(
            member=senders[2],
            outside_unit="上海市某区社会组织综合党委",
            sent_on=today - timedelta(days=10),
            reason="居住地变动",
            actor=DEMO_SEEDER,
        )
        created += 1
    return created


@transaction.atomic
def seed_members(today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"members": 0, "stage_changes": 0, "links": 0, "posts": 0, "transfers": 0}
    committee = demo_committee()
    pos = list(
        PartyOrganization.objects.filter(demo_tree_q(committee), status="active")
        .exclude(kind="comprehensive_committee")
        .order_by("lft")
    )
    # The people are written once, with the tree they fill: once the demo tree holds anyone (the
    # demo's people or the user's own), a later run leaves it as it is (seed_demo --reset rebuilds).
    if not pos or Member.objects.filter(demo_tree_q(committee, "party_organization__")).exists():
        return counts

    secretary_po_id = (
        User.objects.filter(username="secretary", party_organization__in=pos)
        .values_list("party_organization_id", flat=True)
        .first()
    )
    rng = random.Random(SEED)  # noqa: S311  (demo data, reproducible on purpose)
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    taken: set[str] = set()
    people = [_person(rng, fake, plan, today, taken) for plan in _plans(rng, pos, secretary_po_id)]
    existing = set(
        Member.objects.filter(id_number_hash__in=[p.id_number_hash for p in people]).values_list(
            "id_number_hash", flat=True
        )
    )
    new = [p for p in people if p.id_number_hash not in existing]
    if not new:
        return counts
    arriving = _arriving(new, secretary_po_id)
    created = [_register(person) for person in new if person is not arriving]
    if arriving is not None:  # last, as the relation arriving from outside the system
        received = _receive_from_outside(arriving, today)
        received.planned = arriving  # type: ignore[attr-defined]  # read by _walk_all
        created.append(received)
        counts["transfers"] += 1
    links = _walk_all(created)
    new = sorted(created, key=lambda m: m.pk)
    counts.update(
        members=len(new),
        stage_changes=StageChange.objects.filter(member__in=new).count(),
        links=links,
    )
    counts["posts"] = _seed_posts(rng, new, today)
    counts["transfers"] += _seed_transfers(new, secretary_po_id, today)
    return counts


def _arriving(people: list[Member], secretary_po_id: int | None) -> Member | None:
    """The demo secretary's last full member (never one of the first two: introducers, secretary)
    is the one whose relation came from outside the system."""
    full = [m for m in people if m.party_organization_id == secretary_po_id and m.stage == "full"]
    return full[-1] if len(full) > 2 else None


def _receive_from_outside(person: Member, today: date) -> Member:
    """Register `person` the way a relation from outside the system arrives: transfer_in, which
    creates the member through member_create (identity, stage dates, employer in scope)."""
    fields = (
        "name", "id_number", "gender", "birth_date", "phone", "education", "stage",
        "applied_on", "activist_on", "candidate_on", "admitted_on", "full_on",
    )  # fmt: skip
    transfer = transfer_in(
        to_party_organization=person.party_organization,
        outside_unit="嘉兴市南湖区社会组织综合党委",
        sent_on=today - timedelta(days=45),
        received_on=today - timedelta(days=40),
        letter_number=f"嘉南组转〔{today.year}〕17号",
        reason="工作单位变动",
        person={
            **{name: getattr(person, name) for name in fields},
            "employer": person.employer,
        },
        actor=DEMO_SEEDER,
    )
    return transfer.member
