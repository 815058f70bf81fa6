"""The reminder jobs: one function per kind, run daily by Celery beat (reminders.tasks).

Each job reads what is due on `today` in a fixed number of queries, builds drafts
and hands them to reminders.services.reminders_issue, which issues each
(kind, object, period, stage) once. A job therefore only decides the stage an
obligation is in today; running it again, or twice at once, sends nothing new.
An obligation gets the reminder of the stage it is in when first seen (a job that
first runs after a deadline sends "overdue", not a late "due" as well).
Overdue obligations are also escalated to the street's staff (else the district's).
Texts are written in the site's language (settings.LANGUAGE_CODE): they are stored.
"""

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, Model, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import CommitteePost, PartyOrganization
from branches.querysets import active_on_q
from dues.conf import dues_setting
from dues.selectors import arrears
from members.dates import add_months
from members.models import AffiliationRecord, Member, RecruitmentRecord
from members.services.stages import candidate_eligible_on, probation_ends_on
from orgs.models import AnnualInspection, GradeAward, Organization
from orgs.rules import inspection_deadlines, owing_inspection_q
from reminders.conf import reminders_setting
from reminders.member_rules import (
    STEP_FIELDS,
    STEP_STAGES,
    contact_due,
    records_by_member,
    recruitment_steps_due,
)
from reminders.models import Reminder
from reminders.periods import month_period, quarter_period, year_period
from reminders.recipients import org_contacts, po_secretaries
from reminders.services import ReminderDraft, escalations, reminders_issue

Kind, Stage = Reminder.Kind, Reminder.Stage


def _job(function: Callable[[date], list[ReminderDraft]]) -> Callable[..., int]:
    """Default `today` to the local date, write in the site's language, return the number issued."""

    @functools.wraps(function)
    def run(*, today: date | None = None) -> int:
        with translation.override(settings.LANGUAGE_CODE):
            drafts = function(today or timezone.localdate())
            overdue = [draft for draft in drafts if draft.stage == Stage.OVERDUE and draft.escalate]
            return len(reminders_issue(drafts=[*drafts, *escalations(overdue)]))

    return run


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _admin(model: type[Model], pk: int) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def _stage(today: date, due_on: date, *, notice_days: int, grace_days: int = 0) -> str | None:
    """The stage of an obligation falling due on `due_on`: None before the notice period, "due"
    from `notice_days` before until `grace_days` after, "overdue" from then on."""
    if today < due_on - timedelta(days=notice_days):
        return None
    return Stage.DUE if today <= due_on + timedelta(days=grace_days) else Stage.OVERDUE


# --- Annual inspection ----------------------------------------------------------------------------


def _filed_q(kind: str) -> Q:
    """Inspections that settle the deadline: filed with the registry (or given a result) settles both;
    a report to the supervising unit settles the supervisor's deadline."""
    registry = Q(registry_filed_on__isnull=False) | ~Q(result=AnnualInspection.Result.NOT_FILED)
    return registry | Q(supervisor_filed_on__isnull=False) if kind == Kind.INSPECTION_SUPERVISOR else registry


@_job
def annual_inspection_reminders(today: date) -> list[ReminderDraft]:
    """Last year's inspection: report to the supervising unit by its deadline (orgs with a supervisor),
    file with the registry by the registry's (orgs.rules.inspection_deadlines; 31 March and 31 May
    by default). "Due" from INSPECTION_NOTICE_DAYS before each deadline, "overdue" after it."""
    year = today.year - 1
    deadlines = inspection_deadlines(year)
    notice = reminders_setting("INSPECTION_NOTICE_DAYS")
    steps = {
        Kind.INSPECTION_SUPERVISOR: (
            deadlines.supervisor,
            _("Annual inspection %(year)s: report to the supervising unit by %(date)s"),
        ),
        Kind.INSPECTION_REGISTRY: (
            deadlines.registry,
            _("Annual inspection %(year)s: file with the registry by %(date)s"),
        ),
    }
    drafts = []
    for kind, (deadline, title) in steps.items():
        stage = _stage(today, deadline, notice_days=notice)
        if stage is None:
            continue
        filed = AnnualInspection.objects.filter(_filed_q(kind), organization=OuterRef("pk"), year=year)
        orgs = Organization.objects.filter(owing_inspection_q(year), status="active").exclude(Exists(filed))
        if kind == Kind.INSPECTION_SUPERVISOR:
            orgs = orgs.exclude(supervisor="")  # directly registered: no supervising unit to report to
        rows = list(orgs.order_by("pk").values("pk", "name", "region_id"))
        contacts = org_contacts(row["pk"] for row in rows)
        body = _(
            "The annual inspection for %(year)s is not recorded as filed. Fill in the party-building "
            "section in the portal and file the report by %(date)s."
        ) % {"year": year, "date": _day(deadline)}
        for row in rows:
            drafts.append(
                ReminderDraft(
                    kind=kind,
                    model=Organization,
                    object_id=row["pk"],
                    period=year_period(date(year, 1, 1)),
                    stage=stage,
                    recipients=contacts.get(row["pk"], []),
                    title=f"{row['name']}: " + title % {"year": year, "date": _day(deadline)},
                    body=body,
                    url=reverse("orgs_portal:inspection", args=[row["pk"]]),
                    due_on=deadline,
                    region_id=row["region_id"],
                    subject=row["name"],
                    admin_url=_admin(Organization, row["pk"]),
                )
            )
    return drafts


# --- Members: probation and activists ------------------------------------------------------------


def _member_rows(**filters: Any) -> QuerySet[Member]:
    return (
        Member.objects.filter(status=Member.Status.ACTIVE, **filters)
        .select_related("party_organization")
        .only(
            "pk",
            "name",
            "activist_on",
            "admitted_on",
            "probation_extended_months",
            "party_organization__id",
            "party_organization__region_id",
        )
        .order_by("pk")
    )


@_job
def probation_due_reminders(today: date) -> list[ReminderDraft]:
    """Probationary members whose probation (plus any extension) ends: "due" from PROBATION_NOTICE_DAYS
    before the end, "overdue" from the day after it (the conversion is late), and escalated to staff
    when still not converted PROBATION_OVERDUE_DAYS after it. To the secretaries of the party
    organization holding the relation."""
    notice = reminders_setting("PROBATION_NOTICE_DAYS")
    grace = reminders_setting("PROBATION_OVERDUE_DAYS")
    # Without an extension the probation ends PROBATION_MONTHS after the vote: nobody admitted later
    # than this can be in the notice period (an extension only moves the end later).
    latest_vote = add_months(today + timedelta(days=notice), -settings.PROBATION_MONTHS)
    members = list(_member_rows(stage=Member.Stage.PROBATIONARY, admitted_on__lte=latest_vote))
    secretaries = po_secretaries(member.party_organization_id for member in members)
    drafts = []
    for member in members:
        ends = probation_ends_on(member)
        assert ends is not None  # admitted_on__lte above: every row has its admission vote
        stage = _stage(today, ends, notice_days=notice)
        if stage is None:
            continue
        if stage == Stage.OVERDUE:
            title = _("%(name)s: probation ended on %(date)s, the conversion is overdue")
        else:
            title = _("%(name)s: probation ends on %(date)s, due for conversion")
        title %= {"name": member.name, "date": _day(ends)}
        body = _(
            "Hold the branch meeting on the conversion of %(name)s to full membership (probation ended "
            "or ends on %(date)s) and record the decision in the portal."
        ) % {"name": member.name, "date": _day(ends)}
        drafts.append(
            ReminderDraft(
                kind=Kind.PROBATION_DUE,
                model=Member,
                object_id=member.pk,
                period=month_period(ends),
                stage=stage,
                recipients=secretaries.get(member.party_organization_id, []),
                title=title,
                body=body,
                url=reverse("members_portal:detail", args=[member.pk]),
                due_on=ends,
                region_id=member.party_organization.region_id,
                subject=member.name,
                admin_url=_admin(Member, member.pk),
                escalate=today > ends + timedelta(days=grace),
            )
        )
    return drafts


@_job
def activist_eligible_reminders(today: date) -> list[ReminderDraft]:
    """Activists with ACTIVIST_MIN_MONTHS of cultivation behind them may become candidates: one
    "due" reminder to their party organization's secretaries (an opportunity, never overdue)."""
    latest_start = add_months(today, -settings.ACTIVIST_MIN_MONTHS)
    members = list(_member_rows(stage=Member.Stage.ACTIVIST, activist_on__lte=latest_start))
    secretaries = po_secretaries(member.party_organization_id for member in members)
    drafts = []
    for member in members:
        eligible = candidate_eligible_on(member)
        if eligible is None or eligible > today:
            continue
        drafts.append(
            ReminderDraft(
                kind=Kind.ACTIVIST_ELIGIBLE,
                model=Member,
                object_id=member.pk,
                period=month_period(eligible),
                recipients=secretaries.get(member.party_organization_id, []),
                title=_("%(name)s may become a candidate for membership (from %(date)s)")
                % {"name": member.name, "date": _day(eligible)},
                body=_(
                    "%(name)s has been an activist for %(months)d months. If the cultivation went well, "
                    "consider proposing them as a candidate for membership."
                )
                % {"name": member.name, "months": settings.ACTIVIST_MIN_MONTHS},
                url=reverse("members_portal:detail", args=[member.pk]),
                due_on=eligible,
                region_id=member.party_organization.region_id,
                subject=member.name,
            )
        )
    return drafts


# --- Party organizations: elections and secretaries -------------------------------------------------


@_job
def election_due_reminders(today: date) -> list[ReminderDraft]:
    """The committee's term ends (PartyOrganization.election_due_on): "due" from ELECTION_NOTICE_DAYS
    before, "overdue" after. Temporary branches do not elect."""
    notice = reminders_setting("ELECTION_NOTICE_DAYS")
    # A term lasts at least one year (term_years or the kind's default): nobody who started a term
    # later than this can be due yet.
    latest_start = add_months(today + timedelta(days=notice), -12)
    pos = list(
        PartyOrganization.objects.active()
        .exclude(kind=PartyOrganization.Kind.TEMPORARY_BRANCH)
        .filter(term_started_on__lte=latest_start)
        .only("pk", "name", "kind", "region_id", "term_started_on", "term_years")
        .order_by("pk")
    )
    secretaries = po_secretaries(po.pk for po in pos)
    drafts = []
    for po in pos:
        due = po.election_due_on
        stage = _stage(today, due, notice_days=notice)
        if stage is None:
            continue
        drafts.append(
            ReminderDraft(
                kind=Kind.ELECTION_DUE,
                model=PartyOrganization,
                object_id=po.pk,
                period=month_period(due),
                stage=stage,
                recipients=secretaries.get(po.pk, []),
                title=_("%(po)s: the term ends on %(date)s, an election is due")
                % {"po": po.name, "date": _day(due)},
                body=_(
                    "The current term of %(po)s (%(years)d years) ends on %(date)s. Prepare the election "
                    "and report to the superior party organization; an early or late election needs its "
                    "approval."
                )
                % {"po": po.name, "years": po.effective_term_years, "date": _day(due)},
                url=reverse("branches_portal:home"),
                due_on=due,
                region_id=po.region_id,
                subject=po.name,
                admin_url=_admin(PartyOrganization, po.pk),
            )
        )
    return drafts


@_job
def no_secretary_reminders(today: date) -> list[ReminderDraft]:
    """Active party organizations with no secretary in post today: "due" once a quarter, "overdue"
    (and escalated) once without one for more than NO_SECRETARY_OVERDUE_DAYS (counted from the last
    secretary's leaving, else from the founding)."""
    grace = reminders_setting("NO_SECRETARY_OVERDUE_DAYS")
    secretary_posts = CommitteePost.objects.filter(
        party_organization=OuterRef("pk"), post=CommitteePost.Post.SECRETARY
    )
    pos = list(
        PartyOrganization.objects.active()
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=today))
        .exclude(Exists(secretary_posts.filter(active_on_q(today))))
        .annotate(last_left=Max("posts__until", filter=Q(posts__post=CommitteePost.Post.SECRETARY)))
        .only("pk", "name", "region_id", "founded_on")
        .order_by("pk")
    )
    secretaries = po_secretaries(po.pk for po in pos)
    drafts = []
    for po in pos:
        since = po.last_left or po.founded_on
        overdue = since is not None and today > since + timedelta(days=grace)
        drafts.append(
            ReminderDraft(
                kind=Kind.NO_SECRETARY,
                model=PartyOrganization,
                object_id=po.pk,
                period=quarter_period(today),
                stage=Stage.OVERDUE if overdue else Stage.DUE,
                recipients=secretaries.get(po.pk, []),
                title=_("%(po)s has no secretary") % {"po": po.name},
                body=_(
                    "No secretary of %(po)s is recorded in post. Elect or appoint one and record the post "
                    "in the portal."
                )
                % {"po": po.name},
                url=reverse("branches_portal:home"),
                due_on=today,
                region_id=po.region_id,
                subject=po.name,
                admin_url=_admin(PartyOrganization, po.pk),
            )
        )
    return drafts


# --- Evaluation grades ----------------------------------------------------------------------------


@_job
def grade_expiring_reminders(today: date) -> list[ReminderDraft]:
    """An active organization's current grade whose validity ends within GRADE_NOTICE_DAYS, unless a
    later grade already follows it: one "due" reminder to the org contacts."""
    last = today + timedelta(days=reminders_setting("GRADE_NOTICE_DAYS"))
    later = GradeAward.objects.filter(
        organization=OuterRef("organization_id"), valid_until__gt=OuterRef("valid_until")
    )
    grades = list(
        GradeAward.objects.filter(
            valid_until__gte=today, valid_until__lte=last, organization__status="active"
        )
        .exclude(Exists(later))
        .order_by("pk")
        .values(
            "pk", "grade", "valid_until", "organization_id", "organization__name", "organization__region_id"
        )
    )
    contacts = org_contacts(row["organization_id"] for row in grades)
    drafts = []
    for row in grades:
        label = GradeAward.Grade(row["grade"]).label
        name = row["organization__name"]
        drafts.append(
            ReminderDraft(
                kind=Kind.GRADE_EXPIRING,
                model=GradeAward,
                object_id=row["pk"],
                period=year_period(row["valid_until"]),
                recipients=contacts.get(row["organization_id"], []),
                title=_("%(org)s: the %(grade)s grade is valid until %(date)s")
                % {"org": name, "grade": label, "date": _day(row["valid_until"])},
                body=_(
                    "The evaluation grade %(grade)s of %(org)s expires on %(date)s. Apply for a new "
                    "evaluation in time if the organization wants to keep a grade."
                )
                % {"org": name, "grade": label, "date": _day(row["valid_until"])},
                url=reverse("orgs_portal:detail", args=[row["organization_id"]]),
                due_on=row["valid_until"],
                region_id=row["organization__region_id"],
                subject=name,
            )
        )
    return drafts


# --- Party dues --------------------------------------------------------------------------------------


@_job
def dues_arrears_reminders(today: date) -> list[ReminderDraft]:
    """Members owing dues for DUES["ARREARS_REMIND_MONTHS"] months or more (dues.selectors.arrears, up to
    this month): "due" to their secretaries once a month. From DUES["ARREARS_FLAG_MONTHS"] consecutive
    months owed the reminder is "overdue", which escalates it to the street's (else the district's)
    staff: the flag for the committee. Nothing changes the member's status; the committee decides."""
    remind, flag = dues_setting("ARREARS_REMIND_MONTHS"), dues_setting("ARREARS_FLAG_MONTHS")
    owing = [
        item
        for item in arrears(
            members=Member.objects.filter(status=Member.Status.ACTIVE), until=today.replace(day=1)
        )
        if item.months_owed >= remind
    ]
    regions = dict(
        PartyOrganization.objects.filter(pk__in={item.party_organization_id for item in owing}).values_list(
            "pk", "region_id"
        )
    )
    secretaries = po_secretaries(item.party_organization_id for item in owing)
    drafts = []
    for item in owing:
        flagged = item.streak >= flag
        values = {"name": item.name, "months": item.months_owed, "amount": item.amount, "streak": item.streak}
        body = (
            _(
                "%(name)s owes Party dues for %(months)d months (%(amount)s yuan). Talk with them and record "
                "the payments in the portal."
            )
            % values
        )
        if flagged:
            body += (
                " "
                + _(
                    "%(streak)d consecutive months are owed: under the Party constitution the committee "
                    "considers whether the member is treated as having left. Nothing happens automatically."
                )
                % values
            )
        drafts.append(
            ReminderDraft(
                kind=Kind.DUES_ARREARS,
                model=Member,
                object_id=item.member_id,
                period=month_period(today),
                stage=Stage.OVERDUE if flagged else Stage.DUE,
                recipients=secretaries.get(item.party_organization_id, []),
                title=_("%(name)s owes Party dues for %(months)d months") % values,
                body=body,
                url=reverse("dues_portal:member", args=[item.member_id]),
                due_on=today,
                region_id=regions.get(item.party_organization_id),
                subject=item.name,
                admin_url=_admin(Member, item.member_id),
            )
        )
    return drafts


# --- Recruitment steps and flowing members' contact (reminders.member_rules, shared with the to-do) ---


STEP_TEXTS = {
    "talk": (
        Kind.RECRUITMENT_TALK,
        gettext_lazy("%(name)s: talk with the applicant by %(date)s"),
        gettext_lazy(
            "%(name)s applied on %(applied)s. The branch talks with an applicant within %(talk_months)d "
            "month(s) of the application; record the talk in the portal."
        ),
    ),
    "review": (
        Kind.RECRUITMENT_REVIEW,
        gettext_lazy("%(name)s: six-monthly review of the activist due on %(date)s"),
        gettext_lazy("Review the cultivation of the activist %(name)s and record the review in the portal."),
    ),
    "approval": (
        Kind.RECRUITMENT_APPROVAL,
        gettext_lazy("%(name)s: the superior committee's approval of the admission due by %(date)s"),
        gettext_lazy(
            "The admission of %(name)s was voted on %(admitted)s. The superior committee approves within "
            "%(approval_months)d months of the vote: submit it, or record the committee's decision, in the "
            "portal."
        ),
    ),
}


@_job
def recruitment_steps_reminders(today: date) -> list[ReminderDraft]:
    """The dated recruitment steps falling due (reminders.member_rules.recruitment_steps_due: the talk
    within a month of the application, the six-monthly review of an activist, the committee's approval
    within three months of the vote): "due" until the step's date, "overdue" after it. An overdue
    approval is escalated to staff (the committee above the branch is the one late). To the
    secretaries of the member's party organization. Three queries whatever the number of members."""
    members = list(_member_rows(stage__in=STEP_STAGES).only(*STEP_FIELDS, "party_organization__region_id"))
    records = records_by_member(
        RecruitmentRecord.objects.filter(
            member__status=Member.Status.ACTIVE, member__stage__in=STEP_STAGES
        ).values("member_id", "kind", "on", "decision")
    )
    secretaries = po_secretaries(member.party_organization_id for member in members)
    drafts = []
    for member in members:
        for step in recruitment_steps_due(member, records.get(member.pk, {}), today):
            kind, title, body = STEP_TEXTS[step.step]
            values = {
                "name": member.name,
                "date": _day(step.due_on),
                "applied": _day(member.applied_on) if member.applied_on else "",
                "admitted": _day(member.admitted_on) if member.admitted_on else "",
                "talk_months": settings.APPLICATION_TALK_MONTHS,
                "approval_months": settings.ADMISSION_APPROVAL_MONTHS,
            }
            drafts.append(
                ReminderDraft(
                    kind=kind,
                    model=Member,
                    object_id=member.pk,
                    period=month_period(step.due_on),
                    stage=Stage.OVERDUE if step.overdue else Stage.DUE,
                    recipients=secretaries.get(member.party_organization_id, []),
                    title=str(title) % values,
                    body=str(body) % values,
                    url=reverse("members_portal:recruitment", args=[member.pk]),
                    due_on=step.due_on,
                    region_id=member.party_organization.region_id,
                    subject=member.name,
                    admin_url=_admin(Member, member.pk),
                    escalate=step.step == "approval",
                )
            )
    return drafts


@_job
def flowing_contact_reminders(today: date) -> list[ReminderDraft]:
    """Flowing members whose contact lapses (reminders.member_rules.contact_due): "due" from
    REMINDERS["CONTACT_NOTICE_DAYS"] before, "overdue" from OUT_OF_CONTACT_SUSPEND_MONTHS after the last
    contact, escalated to staff then. To the secretaries keeping contact and those of the member's own
    party organization. Suspension (停止党籍) stays a staff decision: nothing changes the member here."""
    records = list(
        AffiliationRecord.objects.open_on(today)
        .filter(kind=AffiliationRecord.Kind.FLOWING, member__status=Member.Status.ACTIVE)
        .values(
            "pk",
            "starts_on",
            "last_contact_on",
            "location",
            "member_id",
            "member__name",
            "member__party_organization_id",
            "contact_party_organization_id",
            "contact_party_organization__region_id",
        )
        .order_by("pk")
    )
    secretaries = po_secretaries(
        {row["contact_party_organization_id"] for row in records}
        | {row["member__party_organization_id"] for row in records}
    )
    drafts = []
    for row in records:
        due = contact_due(starts_on=row["starts_on"], last_contact_on=row["last_contact_on"], today=today)
        if due is None:
            continue
        recipients = {
            *secretaries.get(row["contact_party_organization_id"], []),
            *secretaries.get(row["member__party_organization_id"], []),
        }
        values = {
            "name": row["member__name"],
            "date": _day(due.due_on),
            "last": _day(row["last_contact_on"] or row["starts_on"]),
            "where": row["location"],
            "months": settings.OUT_OF_CONTACT_SUSPEND_MONTHS,
        }
        if due.overdue:
            title = _("%(name)s (flowing): out of contact since %(last)s") % values
            body = (
                _(
                    "No contact with %(name)s (in %(where)s) has been recorded since %(last)s, "
                    "%(months)d months or more. Get in touch and record the contact in the portal. "
                    "Suspending the membership of a member out of contact is the committee's decision; "
                    "nothing happens automatically."
                )
                % values
            )
        else:
            title = _("%(name)s (flowing): keep in contact by %(date)s") % values
            body = (
                _(
                    "The last recorded contact with %(name)s (in %(where)s) was on %(last)s. Get in touch by "
                    "%(date)s and record the contact in the portal."
                )
                % values
            )
        drafts.append(
            ReminderDraft(
                kind=Kind.FLOWING_CONTACT,
                model=AffiliationRecord,
                object_id=row["pk"],
                period=month_period(due.due_on),
                stage=Stage.OVERDUE if due.overdue else Stage.DUE,
                recipients=sorted(recipients, key=lambda user: user.pk),
                title=title,
                body=body,
                url=reverse("members_portal:affiliation", args=[row["pk"]]),
                due_on=due.due_on,
                region_id=row["contact_party_organization__region_id"],
                subject=row["member__name"],
                admin_url=_admin(AffiliationRecord, row["pk"]),
            )
        )
    return drafts


# Every job by kind name (the tasks and the beat schedule are named after these).
JOBS = {
    "annual_inspection": annual_inspection_reminders,
    "probation_due": probation_due_reminders,
    "activist_eligible": activist_eligible_reminders,
    "election_due": election_due_reminders,
    "grade_expiring": grade_expiring_reminders,
    "no_secretary": no_secretary_reminders,
    "dues_arrears": dues_arrears_reminders,
    "recruitment_steps": recruitment_steps_reminders,
    "flowing_contact": flowing_contact_reminders,
}
