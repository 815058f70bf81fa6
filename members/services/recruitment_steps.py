"""The recruitment steps that are dated records, not stage changes (发展党员工作细则 2014):

- the talk with an applicant, within APPLICATION_TALK_MONTHS of the application — needed to make
  an activist;
- the review of an activist at least every ACTIVIST_REVIEW_MONTHS — one per full period of
  cultivation is needed to make a candidate;
- the development plan (列入发展计划) — needed to make a candidate;
- the application form (志愿书) with its number — needed for the admission vote;
- the superior committee's approval of the admission, due within ADMISSION_APPROVAL_MONTHS of the
  vote: the branch submits, the committee (staff, or the secretary of a superior party organization)
  approves or returns it — an approval is needed for the conversion to full membership.

`*_missing` functions give the stage services their refusals, keyed by the missing step.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted, require_actor
from accounts.recorded_by import recorded_by
from members.dates import add_months
from members.models import Member, RecruitmentRecord
from members.services.errors import coded
from members.services.scope import require_writer

Kind = RecruitmentRecord.Kind
Decision = RecruitmentRecord.Decision
Stage = Member.Stage

# The stages a step is recorded in, and the date it may not precede.
STEP_STAGES: dict[str, tuple[tuple[str, ...], str]] = {
    Kind.TALK: ((Stage.APPLICANT,), "applied_on"),
    Kind.ACTIVIST_REVIEW: ((Stage.ACTIVIST,), "activist_on"),
    Kind.DEVELOPMENT_PLAN: ((Stage.ACTIVIST,), "activist_on"),
    Kind.APPLICATION_FORM: ((Stage.CANDIDATE,), "candidate_on"),
}


def _records(member: Member, kind: str, until: date | None = None) -> QuerySet[RecruitmentRecord]:
    records = RecruitmentRecord.objects.filter(member=member, kind=kind)
    return records.filter(on__lte=until) if until else records


@transaction.atomic
def recruitment_record(
    *, member: Member, kind: str, on: date, number: str = "", note: str = "", actor: Actor
) -> RecruitmentRecord:
    """Record a talk, an activist review, the development plan or the application form."""
    require_writer(actor, member=member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if kind not in STEP_STAGES:
        raise ValidationError(
            {"kind": _("Choose the talk, a review, the development plan or the application form.")}
        )
    stages, start_field = STEP_STAGES[kind]
    if member.stage not in stages or member.status != Member.Status.ACTIVE:
        raise coded(
            {
                NON_FIELD_ERRORS: _("This step is recorded for an active %(stage)s.")
                % {"stage": Stage(stages[0]).label}
            },
            code="wrong_stage",
        )
    start = getattr(member, start_field)
    if on is None or on > timezone.localdate() or (start and on < start):
        raise ValidationError({"on": _("Enter a date from %(start)s to today.") % {"start": start or "—"}})
    number = (number or "").strip()
    if kind == Kind.APPLICATION_FORM and not number:
        raise ValidationError({"number": _("Enter the application form's number.")})
    if kind in (Kind.DEVELOPMENT_PLAN, Kind.APPLICATION_FORM) and _records(member, kind).exists():
        raise ValidationError({"kind": _("This step is already recorded.")})
    record = RecruitmentRecord(
        member=member, kind=kind, on=on, number=number, note=(note or "").strip()[:200], **recorded_by(actor)
    )
    record.full_clean()
    record.save()
    return record


def activist_missing(member: Member, on: date | None) -> dict:
    if on is not None and not _records(member, Kind.TALK, on).exists():
        return {"talk": _("Record the talk with the applicant before making them an activist.")}
    return {}


def reviews_needed(member: Member, on: date) -> int:
    """One review per full ACTIVIST_REVIEW_MONTHS of cultivation up to `on`."""
    if member.activist_on is None:
        return 0
    months = (on.year - member.activist_on.year) * 12 + on.month - member.activist_on.month
    if on.day < member.activist_on.day:
        months -= 1
    return max(months, 0) // settings.ACTIVIST_REVIEW_MONTHS


def candidate_missing(member: Member, on: date | None) -> dict:
    errors: dict[str, str] = {}
    if on is None:
        return errors
    if not _records(member, Kind.DEVELOPMENT_PLAN, on).exists():
        errors["development_plan"] = _("Include the activist in the development plan first (列入发展计划).")
    needed = reviews_needed(member, on)
    done = _records(member, Kind.ACTIVIST_REVIEW, on).count()
    if done < needed:
        errors["activist_review"] = _(
            "An activist is reviewed every %(months)d months: %(needed)d reviews are due by then, "
            "%(done)d recorded."
        ) % {"months": settings.ACTIVIST_REVIEW_MONTHS, "needed": needed, "done": done}
    return errors


def admission_missing(member: Member) -> dict:
    if not _records(member, Kind.APPLICATION_FORM).exists():
        return {"application_form": _("Record the application form (志愿书) and its number before the vote.")}
    return {}


def conversion_missing(member: Member) -> dict:
    if not _records(member, Kind.APPROVAL).filter(decision=Decision.APPROVED).exists():
        return {"approval": _("The superior committee has not approved the admission yet.")}
    return {}


def approval_due_on(member: Member) -> date | None:
    return add_months(member.admitted_on, settings.ADMISSION_APPROVAL_MONTHS) if member.admitted_on else None


@transaction.atomic
def admission_approval_submit(*, member: Member, on: date, actor: Actor) -> RecruitmentRecord:
    """The branch submits the admission to the superior committee."""
    require_writer(actor, member=member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.stage != Stage.PROBATIONARY:
        raise coded(
            {NON_FIELD_ERRORS: _("Only an admitted (probationary) member's admission is submitted.")},
            code="wrong_stage",
        )
    assert member.admitted_on is not None  # probationary: admitted
    if on is None or on > timezone.localdate() or on < member.admitted_on:
        raise ValidationError({"on": _("Enter a date from the admission vote to today.")})
    if _records(member, Kind.APPROVAL).filter(decision__in=[Decision.SUBMITTED, Decision.APPROVED]).exists():
        raise ValidationError({NON_FIELD_ERRORS: _("The admission is already submitted or approved.")})
    record = RecruitmentRecord(
        member=member, kind=Kind.APPROVAL, on=on, decision=Decision.SUBMITTED, **recorded_by(actor)
    )
    record.full_clean()
    record.save()
    return record


def _require_superior(actor: Actor, member: Member) -> None:
    """Staff over the member, or the secretary of a party organization above the member's own."""
    if is_unrestricted(actor):
        return
    if getattr(actor, "is_platform_staff", False):
        require_writer(actor, member=member)
        return
    po = member.party_organization
    own = getattr(actor, "party_organization", None)
    superior = (
        getattr(actor, "role", None) == "secretary"
        and own is not None
        and own.pk != po.pk
        and own.tree_id == po.tree_id
        and own.lft < po.lft
        and own.rght > po.rght
    )
    if not superior:
        raise coded(
            {NON_FIELD_ERRORS: _("Only the superior committee (or district staff) decides on an admission.")},
            code="not_superior",
        )


@transaction.atomic
def admission_approval_decide(
    *, record: RecruitmentRecord, approved: bool, on: date, note: str = "", actor: Actor
) -> RecruitmentRecord:
    require_actor(actor)
    record = (
        RecruitmentRecord.objects.select_for_update()
        .select_related("member__party_organization")
        .get(pk=record.pk)
    )
    _require_superior(actor, record.member)
    if record.kind != Kind.APPROVAL or record.decision != Decision.SUBMITTED:
        raise ValidationError({NON_FIELD_ERRORS: _("This admission is not awaiting a decision.")})
    if on is None or on > timezone.localdate() or on < record.on:
        raise ValidationError({"decided_on": _("Enter a date from the submission to today.")})
    note = (note or "").strip()
    if not approved and not note:
        raise ValidationError({"note": _("Say why the admission is returned.")})
    record.decision = Decision.APPROVED if approved else Decision.RETURNED
    record.decided_on, record.note = on, note[:200]
    record.full_clean()
    record.save()
    return record
