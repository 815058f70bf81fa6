"""Each job's stages at their boundary dates (time_machine moves "today"), who is told, and re-runs.

Defaults (config/settings/base.py REMINDERS): inspections due 30 days before 31 March / 31 May;
probation due 30 days before its end, overdue 90 days after; election due 90 days before the term
ends; grade due 90 days before it expires; no secretary overdue after 60 days.
"""

import datetime as dt

import pytest
import time_machine

from accounts.models import Notification
from members.models import Member
from orgs.models import AnnualInspection
from reminders import jobs
from reminders.models import Reminder
from tests.members.factories import MemberFactory
from tests.orgs.factories import GradeAwardFactory, OrganizationFactory
from tests.reminders.builders import give_secretary
from tests.reminders.conftest import set_term

Kind, Stage = Reminder.Kind, Reminder.Stage


def _run(job, day: dt.date) -> set[tuple]:
    """Run `job` on `day` (as the clock's today) and return the (kind, stage, subject) issued."""
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False):
        job()
    return set(Reminder.objects.values_list("kind", "stage", "subject"))


def _recipients(stage: str) -> set[str]:
    return set(
        Reminder.objects.filter(stage=stage).values_list("deliveries__recipient__username", flat=True)
    ) - {None}


# --- annual inspection (year 2025: deadlines 2026-03-31 and 2026-05-31) ----------------------------

ORG = "东湖社区养老服务中心"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 28), set()),
        (dt.date(2026, 3, 1), {(Kind.INSPECTION_SUPERVISOR, Stage.DUE)}),
        (dt.date(2026, 3, 31), {(Kind.INSPECTION_SUPERVISOR, Stage.DUE)}),
        (
            dt.date(2026, 4, 1),
            {(Kind.INSPECTION_SUPERVISOR, Stage.OVERDUE), (Kind.INSPECTION_SUPERVISOR, Stage.ESCALATED)},
        ),
        (
            dt.date(2026, 4, 30),
            {(Kind.INSPECTION_SUPERVISOR, Stage.OVERDUE), (Kind.INSPECTION_SUPERVISOR, Stage.ESCALATED)},
        ),
        (
            dt.date(2026, 5, 1),
            {
                (Kind.INSPECTION_SUPERVISOR, Stage.OVERDUE),
                (Kind.INSPECTION_SUPERVISOR, Stage.ESCALATED),
                (Kind.INSPECTION_REGISTRY, Stage.DUE),
            },
        ),
        (
            dt.date(2026, 6, 1),
            {
                (Kind.INSPECTION_SUPERVISOR, Stage.OVERDUE),
                (Kind.INSPECTION_SUPERVISOR, Stage.ESCALATED),
                (Kind.INSPECTION_REGISTRY, Stage.OVERDUE),
                (Kind.INSPECTION_REGISTRY, Stage.ESCALATED),
            },
        ),
    ],
)
def test_annual_inspection_reminders_stage_at_boundary(world, day, expected):
    issued = _run(jobs.annual_inspection_reminders, day)

    assert issued == {(kind, stage, ORG) for kind, stage in expected}


def test_annual_inspection_reminders_due_goes_to_org_contact(world, street_staff):
    _run(jobs.annual_inspection_reminders, dt.date(2026, 3, 10))

    assert _recipients(Stage.DUE) == {world.contact_a.username}
    notification = Notification.objects.get(recipient=world.contact_a)
    assert notification.url == f"/portal/org/{world.org_a.pk}/inspection/"
    assert not Notification.objects.filter(recipient=street_staff).exists()


def test_annual_inspection_reminders_overdue_escalates_to_street_staff(
    world, street_staff, other_street_staff
):
    _run(jobs.annual_inspection_reminders, dt.date(2026, 4, 2))

    assert _recipients(Stage.OVERDUE) == {world.contact_a.username}
    assert _recipients(Stage.ESCALATED) == {street_staff.username}
    assert (
        Notification.objects.get(recipient=street_staff).url
        == f"/admin/orgs/organization/{world.org_a.pk}/change/"
    )


def test_annual_inspection_reminders_supervisor_report_filed_only_registry_left(world):
    AnnualInspection.objects.create(
        organization=world.org_a, year=2025, supervisor_filed_on=dt.date(2026, 3, 20)
    )

    issued = _run(jobs.annual_inspection_reminders, dt.date(2026, 5, 2))

    assert issued == {(Kind.INSPECTION_REGISTRY, Stage.DUE, ORG)}


def test_annual_inspection_reminders_registry_filed_nothing_owed(world):
    AnnualInspection.objects.create(
        organization=world.org_a, year=2025, registry_filed_on=dt.date(2026, 3, 20), result="qualified"
    )

    assert _run(jobs.annual_inspection_reminders, dt.date(2026, 6, 2)) == set()


def test_annual_inspection_reminders_no_supervisor_only_registry(world):
    OrganizationFactory(name="直接登记协会", region=world.regions.community_b1, supervisor="")

    issued = _run(jobs.annual_inspection_reminders, dt.date(2026, 5, 2))

    assert (Kind.INSPECTION_REGISTRY, Stage.DUE, "直接登记协会") in issued
    assert not any(kind == Kind.INSPECTION_SUPERVISOR and name == "直接登记协会" for kind, _s, name in issued)


def test_annual_inspection_reminders_registered_late_in_year_skips(world):
    OrganizationFactory(
        name="新登记中心",
        region=world.regions.community_b1,
        supervisor="区民政局",
        registered_on=dt.date(2025, 7, 1),
    )

    issued = _run(jobs.annual_inspection_reminders, dt.date(2026, 6, 2))

    assert not any(name == "新登记中心" for _k, _s, name in issued)


def test_annual_inspection_reminders_rerun_sends_nothing_new(world, street_staff):
    _run(jobs.annual_inspection_reminders, dt.date(2026, 4, 2))
    notifications = Notification.objects.count()

    _run(jobs.annual_inspection_reminders, dt.date(2026, 4, 3))

    assert Notification.objects.count() == notifications == 2  # contact (overdue) + street staff


# --- probation (admitted 2025-03-15: ends 2026-03-15) ------------------------------------------------


@pytest.fixture
def probationer(world):
    return MemberFactory(
        name="王预备",
        stage="probationary",
        party_organization=world.pos.branch_a,
        admitted_on=dt.date(2025, 3, 15),
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 12), set()),
        (dt.date(2026, 2, 13), {Stage.DUE}),
        (dt.date(2026, 3, 15), {Stage.DUE}),
        # past its end the conversion is overdue (labelled so); staff are told after the grace days
        (dt.date(2026, 3, 16), {Stage.OVERDUE}),
        (dt.date(2026, 6, 13), {Stage.OVERDUE}),
        (dt.date(2026, 6, 14), {Stage.OVERDUE, Stage.ESCALATED}),
    ],
)
def test_probation_due_reminders_stage_at_boundary(probationer, day, expected):
    issued = _run(jobs.probation_due_reminders, day)

    assert issued == {(Kind.PROBATION_DUE, stage, "王预备") for stage in expected}


def test_probation_due_reminders_extension_moves_the_end(probationer):
    Member.objects.filter(pk=probationer.pk).update(probation_extended_months=6)  # ends 2026-09-15

    assert _run(jobs.probation_due_reminders, dt.date(2026, 3, 1)) == set()
    assert _run(jobs.probation_due_reminders, dt.date(2026, 8, 16)) == {
        (Kind.PROBATION_DUE, Stage.DUE, "王预备")
    }
    assert Reminder.objects.get().period == "2026-09"


def test_probation_due_reminders_go_to_the_branch_secretary(world, probationer):
    _run(jobs.probation_due_reminders, dt.date(2026, 3, 1))

    assert _recipients(Stage.DUE) == {world.secretary_a.username}


def test_probation_due_reminders_converted_member_not_reminded(world, probationer):
    Member.objects.filter(pk=probationer.pk).update(stage="full", full_on=dt.date(2026, 3, 15))

    assert _run(jobs.probation_due_reminders, dt.date(2026, 3, 20)) == set()


# --- activists (activist since 2025-03-31: eligible 2026-03-31) ----------------------------------------


@pytest.fixture
def activist(world):
    return MemberFactory(
        name="李积极",
        stage="activist",
        party_organization=world.pos.branch_b,
        activist_on=dt.date(2025, 3, 31),
    )


@pytest.mark.parametrize(
    ("day", "expected"), [(dt.date(2026, 3, 30), set()), (dt.date(2026, 3, 31), {Stage.DUE})]
)
def test_activist_eligible_reminders_stage_at_boundary(activist, day, expected):
    issued = _run(jobs.activist_eligible_reminders, day)

    assert issued == {(Kind.ACTIVIST_ELIGIBLE, stage, "李积极") for stage in expected}


def test_activist_eligible_reminders_go_to_secretary_never_escalate(world, activist, other_street_staff):
    _run(jobs.activist_eligible_reminders, dt.date(2026, 12, 31))

    assert _recipients(Stage.DUE) == {world.secretary_b.username}
    assert not Reminder.objects.exclude(stage=Stage.DUE).exists()


# --- election (branch term from 2023-06-10, 3 years: due 2026-06-10) ------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 11), set()),
        (dt.date(2026, 3, 12), {Stage.DUE}),
        (dt.date(2026, 6, 10), {Stage.DUE}),
        (dt.date(2026, 6, 11), {Stage.OVERDUE, Stage.ESCALATED}),
    ],
)
def test_election_due_reminders_stage_at_boundary(world, day, expected):
    set_term(world.pos.branch_a, dt.date(2023, 6, 10))

    issued = _run(jobs.election_due_reminders, day)

    assert issued == {(Kind.ELECTION_DUE, stage, world.pos.branch_a.name) for stage in expected}


def test_election_due_reminders_committee_uses_five_years(world):
    set_term(world.pos.committee, dt.date(2021, 6, 10))  # comprehensive committee: due 2026-06-10

    assert _run(jobs.election_due_reminders, dt.date(2026, 3, 12)) == {
        (Kind.ELECTION_DUE, Stage.DUE, world.pos.committee.name)
    }


def test_election_due_reminders_temporary_branch_never(world):
    set_term(world.pos.temporary, dt.date(2020, 1, 1))

    assert _run(jobs.election_due_reminders, dt.date(2026, 3, 12)) == set()


def test_election_due_reminders_overdue_escalates_to_street(world, street_staff, other_street_staff):
    set_term(world.pos.branch_a, dt.date(2023, 6, 10))

    _run(jobs.election_due_reminders, dt.date(2026, 7, 1))

    assert _recipients(Stage.OVERDUE) == {world.secretary_a.username}
    assert _recipients(Stage.ESCALATED) == {street_staff.username}


# --- grades (announced 2020-11-20: valid 2021-01-01 … 2025-12-31) ----------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 10, 1), set()),
        (dt.date(2025, 10, 2), {Stage.DUE}),
        (dt.date(2025, 12, 31), {Stage.DUE}),
        (dt.date(2026, 1, 1), set()),
    ],
)
def test_grade_expiring_reminders_stage_at_boundary(world, day, expected):
    GradeAwardFactory(organization=world.org_a, announced_on=dt.date(2020, 11, 20))

    issued = _run(jobs.grade_expiring_reminders, day)

    assert issued == {(Kind.GRADE_EXPIRING, stage, ORG) for stage in expected}


def test_grade_expiring_reminders_followed_by_new_grade_not_reminded(world):
    GradeAwardFactory(organization=world.org_a, announced_on=dt.date(2020, 11, 20))
    GradeAwardFactory(organization=world.org_a, announced_on=dt.date(2025, 11, 1), grade=4)

    assert _run(jobs.grade_expiring_reminders, dt.date(2025, 12, 1)) == set()


def test_grade_expiring_reminders_go_to_org_contact(world):
    GradeAwardFactory(organization=world.org_a, announced_on=dt.date(2020, 11, 20))

    _run(jobs.grade_expiring_reminders, dt.date(2025, 12, 1))

    assert _recipients(Stage.DUE) == {world.contact_a.username}


# --- party organization without a secretary ----------------------------------------------------------------


@pytest.fixture
def only_branch_a_lacks(world):
    """Every party organization but branch_a has a secretary; branch_a's left on 2026-01-10."""
    for po in (world.pos.committee, world.pos.branch_a2, world.pos.branch_b, world.pos.temporary):
        give_secretary(po)
    give_secretary(world.pos.branch_a, until=dt.date(2026, 1, 10))
    return world.pos.branch_a


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 9), set()),
        (dt.date(2026, 1, 10), {Stage.DUE}),
        (dt.date(2026, 3, 11), {Stage.DUE}),
        (dt.date(2026, 3, 12), {Stage.OVERDUE, Stage.ESCALATED}),
    ],
)
def test_no_secretary_reminders_stage_at_boundary(only_branch_a_lacks, day, expected):
    issued = _run(jobs.no_secretary_reminders, day)

    assert issued == {(Kind.NO_SECRETARY, stage, only_branch_a_lacks.name) for stage in expected}


def test_no_secretary_reminders_once_a_quarter(only_branch_a_lacks):
    _run(jobs.no_secretary_reminders, dt.date(2026, 1, 15))
    _run(jobs.no_secretary_reminders, dt.date(2026, 2, 15))
    _run(jobs.no_secretary_reminders, dt.date(2026, 4, 15))

    due = Reminder.objects.filter(stage=Stage.DUE).order_by("period")
    assert list(due.values_list("period", flat=True)) == ["2026-Q1"]  # Q2 found it overdue already
    assert list(Reminder.objects.filter(stage=Stage.OVERDUE).values_list("period", flat=True)) == ["2026-Q2"]


def test_no_secretary_reminders_go_to_the_po_accounts_and_street_staff(
    world, only_branch_a_lacks, street_staff
):
    _run(jobs.no_secretary_reminders, dt.date(2026, 3, 20))

    assert _recipients(Stage.OVERDUE) == {world.secretary_a.username}
    assert _recipients(Stage.ESCALATED) == {street_staff.username}


def test_first_run_without_secretaries_one_digest_per_person_not_a_flood(world, district_staff, street_staff):
    # given a first run that finds every party organization without a secretary, long overdue
    from accounts.models import Notification

    # when every job runs on the same day
    day = dt.date(2026, 6, 20)
    for job in jobs.JOBS.values():
        _run(job, day)
    # then each person has one inbox message, listing every item delivered to them
    escalated = Reminder.objects.filter(stage=Stage.ESCALATED)
    assert escalated.count() >= 3
    told = 0
    for user in (street_staff, district_staff):
        delivered = escalated.filter(deliveries__recipient=user).count()
        told += delivered
        if delivered:
            (digest,) = Notification.objects.filter(recipient=user)
            assert digest.body.count("【") == delivered
            assert f"{delivered} item" in digest.title
    assert told >= 2
    assert Notification.objects.values("recipient").distinct().count() == Notification.objects.count()
