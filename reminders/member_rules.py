"""When a recruitment step or a flowing member's contact falls due: the one set of rules read by the
reminder jobs (reminders.jobs) and the secretary's to-do (reminders.todo), so both always agree.

Pure functions over rows already read (no queries): the callers read members and their records in a
fixed number of queries and hand them over.

- the talk with an applicant: due APPLICATION_TALK_MONTHS after the application, shown from the
  application until a talk is recorded;
- the review of an activist: due ACTIVIST_REVIEW_MONTHS after the last review (or the start of the
  cultivation), shown from REMINDERS["PROBATION_NOTICE_DAYS"] before;
- the superior committee's approval of an admission: due ADMISSION_APPROVAL_MONTHS after the vote,
  shown from the vote until an approval is recorded;
- a flowing member's contact: lapses OUT_OF_CONTACT_SUSPEND_MONTHS after the last contact (or the
  start of the period), shown from REMINDERS["CONTACT_NOTICE_DAYS"] before.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from members.dates import add_months
from members.models import Member, RecruitmentRecord
from reminders.conf import reminders_setting

Kind = RecruitmentRecord.Kind
Stage = Member.Stage

# The members a recruitment step can fall due for, and the fields the rules read.
STEP_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.PROBATIONARY)
STEP_FIELDS = ("pk", "name", "stage", "applied_on", "activist_on", "admitted_on")


@dataclass(frozen=True)
class StepDue:
    step: str  # "talk", "review" or "approval"
    due_on: date
    overdue: bool


def records_by_member(rows: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, list[dict]]]:
    """{member id: {record kind: [rows]}} from RecruitmentRecord .values("member_id", "kind", "on",
    "decision") rows."""
    found: dict[int, dict[str, list[dict]]] = {}
    for row in rows:
        found.setdefault(row["member_id"], {}).setdefault(row["kind"], []).append(dict(row))
    return found


def recruitment_steps_due(member: Member, records: dict[str, list[dict]], today: date) -> list[StepDue]:
    """The dated recruitment steps of `member` that are due (or overdue) on `today`."""
    due: list[StepDue] = []
    if member.stage == Stage.APPLICANT:
        if member.applied_on and not records.get(Kind.TALK):
            on = add_months(member.applied_on, settings.APPLICATION_TALK_MONTHS)
            due.append(StepDue("talk", on, on < today))
    elif member.stage == Stage.ACTIVIST:
        if member.activist_on:
            last = max([r["on"] for r in records.get(Kind.ACTIVIST_REVIEW, [])] + [member.activist_on])
            on = add_months(last, settings.ACTIVIST_REVIEW_MONTHS)
            if today >= on - timedelta(days=reminders_setting("PROBATION_NOTICE_DAYS")):
                due.append(StepDue("review", on, on < today))
    elif member.stage == Stage.PROBATIONARY:
        approved = [r for r in records.get(Kind.APPROVAL, []) if r["decision"] == "approved"]
        if member.admitted_on and not approved:
            on = add_months(member.admitted_on, settings.ADMISSION_APPROVAL_MONTHS)
            due.append(StepDue("approval", on, on < today))
    return due


def contact_lapses_on(*, starts_on: date, last_contact_on: date | None) -> date:
    """The day a flowing member counts as out of contact unless contacted again."""
    return add_months(last_contact_on or starts_on, settings.OUT_OF_CONTACT_SUSPEND_MONTHS)


def contact_due(*, starts_on: date, last_contact_on: date | None, today: date) -> StepDue | None:
    """The contact with a flowing member, when it falls due on `today` (overdue once lapsed)."""
    lapses = contact_lapses_on(starts_on=starts_on, last_contact_on=last_contact_on)
    if today < lapses - timedelta(days=reminders_setting("CONTACT_NOTICE_DAYS")):
        return None
    return StepDue("contact", lapses, today >= lapses)
