"""The secretary's to-do for the month: what their party organization owes now, each with its due date
and a link to do it, read with the same rules (and settings) as the reminder jobs.

Computed in a fixed number of queries whatever the size of the branch (test_todo asserts it):
the meeting compliance (two), members due and their recruitment steps (two), flowing members'
contacts (one), this month's dues roll and its lines (two), transfers waiting (one), covered
organizations' inspections (one), rule warnings (at most four). The recruitment steps and the
contacts follow reminders.member_rules, the rules of the reminder jobs.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import CoverageLink, PartyOrganization
from branches.querysets import active_on_q
from branches.rules import warnings_for_many
from dues.models import DuesEntry, DuesLine, DuesRoll
from dues.services.rolls import collects_dues, month_end, paying_members_q
from events.compliance import Period, compliance_table
from members.models import AffiliationRecord, Member, RecruitmentRecord, Transfer
from members.services.stages import candidate_eligible_on, probation_ends_on
from orgs.models import AnnualInspection, Organization
from orgs.rules import inspection_deadlines, owing_inspection_q
from reminders.conf import reminders_setting
from reminders.member_rules import (
    STEP_FIELDS,
    STEP_STAGES,
    contact_due,
    records_by_member,
    recruitment_steps_due,
)


@dataclass(frozen=True)
class Todo:
    kind: str
    title: str
    due_on: date | None
    url: str
    overdue: bool = False


def _meeting_todos(po: PartyOrganization, today: date) -> list[Todo]:
    """Required meetings not yet held in the running month and quarter (from October, the year's too)."""
    running = {
        str(Period(today.year, "month", today.month)),
        str(Period(today.year, "quarter", (today.month - 1) // 3 + 1)),
    }
    if today.month >= 10:
        running.add(str(Period(today.year, "year")))
    todos = []
    (row,) = compliance_table([po], today.year, today=today)
    for requirement_row in row.rows:
        for cell in requirement_row.cells:
            if cell.status == "due" and str(cell.period) in running:
                todos.append(
                    Todo(
                        kind="meeting",
                        title=_("%(meeting)s not held yet in %(period)s")
                        % {"meeting": requirement_row.requirement.label, "period": cell.period},
                        due_on=cell.period.end - timedelta(days=1),
                        url=reverse("events_portal:create"),
                    )
                )
    return todos


STEP_TITLES = {
    "talk": gettext_lazy("%(name)s: talk with the applicant"),
    "review": gettext_lazy("%(name)s: six-monthly review of the activist"),
    "approval": gettext_lazy("%(name)s: the superior committee's approval of the admission"),
}


def _member_todos(po: PartyOrganization, today: date) -> list[Todo]:
    """Probation ending, activists eligible, and the dated recruitment steps falling due (the talk
    with an applicant, the six-monthly review of an activist, the committee's approval of an
    admission: reminders.member_rules, the same rules as the reminder job)."""
    notice = reminders_setting("PROBATION_NOTICE_DAYS")
    members = list(
        Member.objects.filter(party_organization=po, status=Member.Status.ACTIVE, stage__in=STEP_STAGES)
        .only(*STEP_FIELDS, "probation_extended_months")
        .order_by("name", "pk")
    )
    records = records_by_member(
        RecruitmentRecord.objects.filter(member__in=members).values("member_id", "kind", "on", "decision")
    )
    todos = []
    for member in members:
        url = reverse("members_portal:detail", args=[member.pk])
        steps = reverse("members_portal:recruitment", args=[member.pk])
        if member.stage == Member.Stage.PROBATIONARY:
            ends = probation_ends_on(member)
            if ends is not None and today >= ends - timedelta(days=notice):
                todos.append(
                    Todo(
                        "probation",
                        _("%(name)s: probation ends, conversion due") % {"name": member.name},
                        ends,
                        url,
                        overdue=ends < today,
                    )
                )
        elif member.stage == Member.Stage.ACTIVIST:
            eligible = candidate_eligible_on(member)
            if eligible is not None and eligible <= today:
                todos.append(
                    Todo(
                        "activist",
                        _("%(name)s may become a candidate for membership") % {"name": member.name},
                        eligible,
                        url,
                    )
                )
        for step in recruitment_steps_due(member, records.get(member.pk, {}), today):
            todos.append(
                Todo(
                    step.step,
                    str(STEP_TITLES[step.step]) % {"name": member.name},
                    step.due_on,
                    steps,
                    step.overdue,
                )
            )
    return todos


def _flowing_todos(po: PartyOrganization, today: date) -> list[Todo]:
    """Flowing members this party organization keeps contact with (or whose relation it holds) whose
    contact lapses or has lapsed (reminders.member_rules.contact_due); one query."""
    records = (
        AffiliationRecord.objects.open_on(today)
        .filter(Q(contact_party_organization=po) | Q(member__party_organization=po), kind="flowing")
        .values("pk", "member__name", "starts_on", "last_contact_on")
        .order_by("member__name", "pk")
    )
    todos = []
    for row in records:
        due = contact_due(starts_on=row["starts_on"], last_contact_on=row["last_contact_on"], today=today)
        if due is not None:
            todos.append(
                Todo(
                    "contact",
                    _("%(name)s (flowing): keep in contact") % {"name": row["member__name"]},
                    due.due_on,
                    reverse("members_portal:affiliation", args=[row["pk"]]),
                    due.overdue,
                )
            )
    return todos


def _dues_todos(po: PartyOrganization, today: date) -> list[Todo]:
    if not collects_dues(po):
        return []
    month = today.replace(day=1)
    roll = DuesRoll.objects.filter(party_organization=po, month=month).first()
    home = reverse("dues_portal:home")
    if roll is None:
        paying = Member.objects.filter(paying_members_q(month), party_organization=po)
        if not paying.exists():
            return []
        return [Todo("dues", _("This month's dues roll is not made yet"), month_end(month), home)]
    lines = DuesLine.objects.filter(roll=roll).annotate(
        paid=Exists(DuesEntry.objects.filter(line=OuterRef("pk")))
    )
    unpaid = unpriced = 0
    for line in lines.values("amount_due", "paid"):
        unpriced += line["amount_due"] is None
        unpaid += line["amount_due"] is not None and not line["paid"]
    todos = []
    url = reverse("dues_portal:roll", args=[roll.pk])
    if unpriced:
        todos.append(
            Todo(
                "dues", _("%(n)d members have no dues base recorded") % {"n": unpriced}, month_end(month), url
            )
        )
    if unpaid:
        todos.append(
            Todo(
                "dues",
                _("Dues of %(n)d members not recorded this month") % {"n": unpaid},
                month_end(month),
                url,
            )
        )
    return todos


def _transfer_todos(po: PartyOrganization) -> list[Todo]:
    waiting = Transfer.objects.filter(
        status=Transfer.Status.PENDING, direction=Transfer.Direction.INTERNAL, to_party_organization=po
    ).select_related("member")
    url = reverse("members_portal:transfers")
    return [
        Todo(
            "transfer",
            _("Confirm the receipt of %(name)s (sent on %(date)s)")
            % {"name": t.member.name, "date": t.sent_on},
            t.sent_on,
            url,
        )
        for t in waiting.order_by("sent_on", "pk")
    ]


def _inspection_todos(po: PartyOrganization, today: date) -> list[Todo]:
    """Organizations the branch covers whose inspection party section for last year is not filed,
    from INSPECTION_NOTICE_DAYS before the registry deadline (the org contact files it)."""
    year = today.year - 1
    deadline = inspection_deadlines(year).registry
    if today < deadline - timedelta(days=reminders_setting("INSPECTION_NOTICE_DAYS")):
        return []
    covered = CoverageLink.objects.filter(
        active_on_q(today), party_organization=po, organization=OuterRef("pk")
    )
    filed = AnnualInspection.objects.filter(
        organization=OuterRef("pk"), year=year, party_section_filed_at__isnull=False
    )
    orgs = Organization.objects.filter(owing_inspection_q(year), Exists(covered)).exclude(Exists(filed))
    url = reverse("branches_portal:home")
    return [
        Todo(
            "inspection",
            _("%(org)s: the party section of the %(year)d inspection is not filed")
            % {"org": name, "year": year},
            deadline,
            url,
            overdue=today > deadline,
        )
        for name in orgs.order_by("name", "pk").values_list("name", flat=True)
    ]


def _term_todos(po: PartyOrganization, today: date) -> list[Todo]:
    due = po.election_due_on
    if po.kind == PartyOrganization.Kind.TEMPORARY_BRANCH or due is None:
        return []
    if today < due - timedelta(days=reminders_setting("ELECTION_NOTICE_DAYS")):
        return []
    return [
        Todo(
            "term",
            _("The term ends: an election is due"),
            due,
            reverse("branches_portal:home"),
            overdue=due < today,
        )
    ]


def secretary_todos(po: PartyOrganization, today: date) -> list[Todo]:
    """Everything the party organization owes now, overdue first, then by due date."""
    todos = [
        *_meeting_todos(po, today),
        *_member_todos(po, today),
        *_flowing_todos(po, today),
        *_dues_todos(po, today),
        *_transfer_todos(po),
        *_inspection_todos(po, today),
        *_term_todos(po, today),
    ]
    warnings = warnings_for_many([po], today=today).get(po.pk, [])
    todos += [
        Todo("warning", str(w), None, reverse("branches_portal:home"))
        for w in warnings
        if w.code != "election_overdue"  # already listed as the term's end
    ]
    return sorted(todos, key=lambda t: (not t.overdue, t.due_on or date.max, t.title))
