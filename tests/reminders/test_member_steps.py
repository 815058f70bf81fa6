"""Reminders for the dated recruitment steps and for flowing members' contact: the stages at their
boundary dates, who is told, re-runs issuing nothing, and the to-do listing the same items."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.actors import SystemActor
from members.models import AffiliationRecord, Member
from members.services.affiliations import affiliation_contact_record, affiliation_start
from members.services.recruitment_steps import recruitment_record
from reminders import jobs
from reminders.models import Reminder
from reminders.todo import secretary_todos
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
Kind, Stage = Reminder.Kind, Reminder.Stage
SYSTEM = SystemActor("tests")


def _run(job, day: dt.date) -> int:
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False):
        return job()


def _issued() -> set[tuple]:
    return set(Reminder.objects.values_list("kind", "stage", "subject", "due_on"))


def _told(stage) -> set[str]:
    return set(
        Reminder.objects.filter(stage=stage).values_list("deliveries__recipient__username", flat=True)
    ) - {None}


# --- recruitment steps ----------------------------------------------------------------------------------


@pytest.fixture
def pipeline(world, district_staff):
    po = world.pos.branch_a
    MemberFactory(party_organization=po, name="申请甲", stage="applicant", applied_on=dt.date(2026, 3, 1))
    activist = MemberFactory(
        party_organization=po,
        name="积极乙",
        stage="activist",
        activist_on=dt.date(2025, 3, 1),
        candidate_on=None,
        admitted_on=None,
        full_on=None,
    )
    recruitment_record(member=activist, kind="activist_review", on=dt.date(2025, 9, 1), actor=district_staff)
    MemberFactory(
        party_organization=po,
        name="预备丙",
        stage="probationary",
        admitted_on=dt.date(2026, 1, 10),
        full_on=None,
    )
    return world


def test_recruitment_steps_due_then_overdue_and_approval_escalated(pipeline, street_staff):
    # 2026-03-20: the talk and the approval are due, the review (due 2026-03-01) is late
    _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20))
    assert _issued() == {
        (Kind.RECRUITMENT_TALK, Stage.DUE, "申请甲", dt.date(2026, 4, 1)),
        (Kind.RECRUITMENT_REVIEW, Stage.OVERDUE, "积极乙", dt.date(2026, 3, 1)),
        (Kind.RECRUITMENT_APPROVAL, Stage.DUE, "预备丙", dt.date(2026, 4, 10)),
    }
    assert _told(Stage.DUE) == {"secretary_a"}
    # when the talk and the approval are late: overdue, and only the approval goes up to staff
    _run(jobs.recruitment_steps_reminders, dt.date(2026, 4, 11))
    late = {(kind, stage) for kind, stage, *_rest in _issued()}
    assert (Kind.RECRUITMENT_TALK, Stage.OVERDUE) in late and (
        Kind.RECRUITMENT_APPROVAL,
        Stage.OVERDUE,
    ) in late
    assert set(Reminder.objects.filter(stage=Stage.ESCALATED).values_list("kind", flat=True)) == {
        Kind.RECRUITMENT_APPROVAL
    }
    assert _told(Stage.ESCALATED) == {street_staff.username}


def test_recruitment_steps_rerun_issues_nothing_and_recorded_step_stops(pipeline, district_staff):
    assert _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20)) == 3
    assert _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20)) == 0
    talked = Member.objects.get(name="申请甲")
    recruitment_record(member=talked, kind="talk", on=dt.date(2026, 3, 21), actor=district_staff)
    before = Reminder.objects.count()
    _run(jobs.recruitment_steps_reminders, dt.date(2026, 4, 2))
    assert not Reminder.objects.filter(kind=Kind.RECRUITMENT_TALK, stage=Stage.OVERDUE).exists()
    assert Reminder.objects.count() == before  # the approval and review stay in their reminded stage


def test_recruitment_steps_job_queries_flat(pipeline):
    with CaptureQueriesContext(connection) as few:
        _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20))
    Reminder.objects.all().delete()
    for n in range(5):
        MemberFactory(
            party_organization=pipeline.pos.branch_a,
            name=f"申请{n}",
            stage="applicant",
            applied_on=dt.date(2026, 3, 1),
        )
    with CaptureQueriesContext(connection) as many:
        _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20))
    # the read side does not grow (writing and delivering the reminders is batched by reminders.services)
    reads = [q for q in many.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) <= len([q for q in few.captured_queries if q["sql"].startswith("SELECT")]) + 2


def test_todo_and_job_agree_on_recruitment_steps(pipeline):
    day = dt.date(2026, 3, 20)
    _run(jobs.recruitment_steps_reminders, day)
    todo = {(t.kind, t.due_on, t.overdue) for t in secretary_todos(pipeline.pos.branch_a, day)}
    assert {("talk", dt.date(2026, 4, 1), False), ("review", dt.date(2026, 3, 1), True)} <= todo
    assert ("approval", dt.date(2026, 4, 10), False) in todo


# --- flowing members' contact ---------------------------------------------------------------------------


@pytest.fixture
def flowing(world):
    member = MemberFactory(party_organization=world.pos.branch_a, name="流动丁")
    return affiliation_start(
        member=member,
        kind="flowing",
        starts_on=dt.date(2026, 1, 10),
        location="广东省深圳市",
        contact_party_organization=world.pos.branch_b,
        actor=SYSTEM,
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 6, 9), set()),
        (dt.date(2026, 6, 10), {Stage.DUE}),
        (dt.date(2026, 7, 9), {Stage.DUE}),
        (dt.date(2026, 7, 10), {Stage.OVERDUE, Stage.ESCALATED}),
    ],
)
def test_flowing_contact_stage_at_boundary(flowing, day, expected):
    _run(jobs.flowing_contact_reminders, day)
    assert set(Reminder.objects.values_list("stage", flat=True)) == expected
    assert all(r.due_on == dt.date(2026, 7, 10) for r in Reminder.objects.all())


def test_flowing_contact_lapsed_tells_both_branches_and_staff_but_suspends_no_one(
    flowing, other_street_staff
):
    _run(jobs.flowing_contact_reminders, dt.date(2026, 8, 1))
    assert _told(Stage.OVERDUE) == {"secretary_a", "secretary_b"}
    assert _told(Stage.ESCALATED) == {other_street_staff.username}  # the contact branch's street
    overdue = Reminder.objects.get(stage=Stage.OVERDUE)
    assert "out of contact since" in overdue.title and "nothing happens automatically" in overdue.body
    assert overdue.url == f"/portal/members/affiliations/{flowing.pk}/"
    flowing.member.refresh_from_db()
    assert flowing.member.status == Member.Status.ACTIVE
    assert _run(jobs.flowing_contact_reminders, dt.date(2026, 8, 2)) == 0


def test_flowing_contact_recorded_moves_the_lapse(flowing):
    affiliation_contact_record(record=flowing, on=dt.date(2026, 5, 1), actor=SYSTEM)
    assert _run(jobs.flowing_contact_reminders, dt.date(2026, 7, 10)) == 0
    _run(jobs.flowing_contact_reminders, dt.date(2026, 10, 5))
    assert set(Reminder.objects.values_list("stage", "due_on")) == {(Stage.DUE, dt.date(2026, 11, 1))}


def test_flowing_contact_closed_period_not_reminded(flowing):
    AffiliationRecord.objects.filter(pk=flowing.pk).update(ends_on=dt.date(2026, 3, 1))
    assert _run(jobs.flowing_contact_reminders, dt.date(2026, 8, 1)) == 0


def test_todo_lists_flowing_contact_for_both_branches(flowing, world):
    day = dt.date(2026, 8, 1)
    for po in (world.pos.branch_a, world.pos.branch_b):
        (todo,) = [t for t in secretary_todos(po, day) if t.kind == "contact"]
        assert (todo.due_on, todo.overdue, todo.title) == (
            dt.date(2026, 7, 10),
            True,
            "流动丁 (flowing): keep in contact",
        )
    assert not [t for t in secretary_todos(world.pos.branch_a2, day) if t.kind == "contact"]


def test_todo_query_count_flat_with_flowing_members(world):
    day = dt.date(2026, 8, 1)
    po = world.pos.branch_a

    def add():
        affiliation_start(
            member=MemberFactory(party_organization=po),
            kind="flowing",
            starts_on=dt.date(2026, 1, 10),
            location="外地",
            contact_party_organization=po,
            actor=SYSTEM,
        )

    add()
    with CaptureQueriesContext(connection) as few:
        secretary_todos(po, day)
    for _n in range(4):
        add()
    with CaptureQueriesContext(connection) as many:
        todos = secretary_todos(po, day)
    assert len(many) == len(few)
    assert len([t for t in todos if t.kind == "contact"]) == 5


def test_recruitment_texts_follow_the_settings(pipeline, settings):
    settings.ADMISSION_APPROVAL_MONTHS = 2
    _run(jobs.recruitment_steps_reminders, dt.date(2026, 3, 20))
    approval = Reminder.objects.get(kind=Kind.RECRUITMENT_APPROVAL, stage=Stage.OVERDUE)
    assert approval.due_on == dt.date(2026, 3, 10)
    assert "within 2 months of the vote" in approval.body
    talk = Reminder.objects.get(kind=Kind.RECRUITMENT_TALK)
    assert "within 1 month(s) of the application" in talk.body
