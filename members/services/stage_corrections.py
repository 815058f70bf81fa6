"""Corrections of a member's dated history (StageChange rows): staff correct the date, document or note
of a stage step or status change, or remove a row entered by mistake (issue 12).

The corrected history is re-checked against periods (members.services.periods), like a new step:
the stage dates in pipeline order with their minimum intervals (cultivation, probation), the
political review before the candidate step, every stage step on a day the member was active, the
status changes in an allowed sequence, and the steps of other people for which this member was an
introducer or cultivation contact (a full member on that day). Only what the correction breaks is
refused (a history already inconsistent before does not block an unrelated correction); the refusal
names the corrected row and the one it conflicts with. Member and StageChange are under
django-auditlog, so every correction and removal leaves an entry with the old and new values (as the
organization status history's corrections do).
"""

from datetime import date
from itertools import pairwise
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import is_unrestricted, require_actor
from members.models import STAGE_DATE_FIELD, STAGE_ORDER, Member, StageChange
from members.services.errors import coded
from members.services.periods import not_active_on, not_full_member_on, status_events
from members.services.scope import require_writer
from members.services.stages import candidate_eligible_on, probation_ends_on
from members.services.status import FOLLOWS

Stage, Status = Member.Stage, Member.Status


def describe_change(row: StageChange) -> str:
    """A history row as a message names it: what, when, and its number."""
    if row.to_status:
        what = _("“%(status)s” from %(date)s") % {"status": Status(row.to_status).label, "date": row.on}
    elif row.from_stage == row.to_stage:
        what = _("“%(note)s” on %(date)s") % {"note": row.note or row.get_to_stage_display(), "date": row.on}
    else:
        what = _("“%(stage)s” on %(date)s") % {"stage": row.get_to_stage_display(), "date": row.on}
    return _("%(what)s (stage change no. %(pk)s)") % {"what": what, "pk": row.pk}


def _is_step(row: StageChange) -> bool:
    return not row.to_status and row.from_stage != row.to_stage


def _step_rows(member: Member) -> dict:
    """The latest step row of each stage (the row a stage date was recorded by)."""
    rows = {}
    for row in StageChange.objects.filter(member=member).order_by("on", "pk"):
        if _is_step(row):
            rows[row.to_stage] = row
    return rows


def _name_date(member: Member, stage: str, rows: dict) -> str:
    row = rows.get(stage)
    if row is not None:
        return describe_change(row)
    field = cast(Field, Member._meta.get_field(STAGE_DATE_FIELD[stage]))
    return _("the %(field)s date %(date)s") % {
        "field": field.verbose_name,
        "date": getattr(member, field.name),
    }


def _own_problems(member: Member) -> set[str]:
    """Every way the member's own history fails the period rules, each naming the rows at fault."""
    problems, rows = set(), _step_rows(member)
    dated = [(stage, getattr(member, STAGE_DATE_FIELD[stage])) for stage in STAGE_ORDER]
    dated = [(stage, day) for stage, day in dated if day is not None]
    for (stage, day), (later, later_day) in pairwise(dated):
        if later_day < day:
            problems.add(
                _("%(later)s comes before %(earlier)s.")
                % {"later": _name_date(member, later, rows), "earlier": _name_date(member, stage, rows)}
            )
    eligible = candidate_eligible_on(member)
    if eligible and member.candidate_on and member.candidate_on < eligible:
        problems.add(
            _("%(later)s is less than %(months)d months after %(earlier)s.")
            % {
                "later": _name_date(member, Stage.CANDIDATE, rows),
                "months": settings.ACTIVIST_MIN_MONTHS,
                "earlier": _name_date(member, Stage.ACTIVIST, rows),
            }
        )
    ends = probation_ends_on(member)
    if ends and member.full_on and member.full_on < ends:
        problems.add(
            _("%(later)s comes before the end of the probation from %(earlier)s (%(date)s).")
            % {
                "later": _name_date(member, Stage.FULL, rows),
                "earlier": _name_date(member, Stage.PROBATIONARY, rows),
                "date": ends.isoformat(),
            }
        )
    review = member.political_review_passed_on
    if review and member.candidate_on and review > member.candidate_on:
        problems.add(
            _("%(step)s comes before the political review passed on %(date)s.")
            % {"step": _name_date(member, Stage.CANDIDATE, rows), "date": review.isoformat()}
        )
    for stage, day in dated:  # no stage date while the member was gone (as members.services.status)
        refusal = not_active_on(member, day, own_step=True)
        if refusal:
            problems.add(f"{_name_date(member, stage, rows)}: {refusal}")
    return problems | _status_problems(member)


def _status_problems(member: Member) -> set[str]:
    """The status changes (and received transfers) in an allowed sequence, from an active start."""
    problems, source = set(), ""
    before: str = Status.ACTIVE
    for on, status, label in status_events(member):
        if before not in FOLLOWS[status]:
            problems.add(
                _("“%(status)s” from %(date)s (%(label)s) cannot follow “%(before)s” (%(source)s).")
                % {
                    "status": Status(status).label,
                    "date": on.isoformat(),
                    "label": label,
                    "before": Status(before).label,
                    "source": source or _("the start of the record"),
                }
            )
        before, source = status, label
    return problems


def _relied_on(member: Member) -> set[str]:
    """Steps of other people that rely on `member` being a full member on their day: as an introducer
    (the candidate step) or a cultivation contact (the activist step)."""
    problems = set()
    roles = (
        (member.introduced.exclude(candidate_on=None), Stage.CANDIDATE, _("introducer")),
        (member.cultivated.exclude(activist_on=None), Stage.ACTIVIST, _("cultivation contact")),
    )
    for people, stage, role in roles:
        for person in people:
            day = getattr(person, STAGE_DATE_FIELD[stage])
            refusal = not_full_member_on(member, day)
            if refusal:
                problems.add(
                    _("%(step)s of %(name)s needs %(member)s as a full member (%(role)s): %(refusal)s")
                    % {
                        "step": _name_date(person, stage, _step_rows(person)),
                        "name": person.name,
                        "member": member.name,
                        "role": role,
                        "refusal": refusal,
                    }
                )
    return problems


def _problems(member: Member) -> set[str]:
    member = Member.objects.get(pk=member.pk)
    return _own_problems(member) | _relied_on(member)


def _require_staff(actor: Any, member: Member) -> None:
    require_actor(actor)
    if not is_unrestricted(actor) and not (actor.is_active and getattr(actor, "is_platform_staff", False)):
        raise coded(
            {NON_FIELD_ERRORS: _("Only district or street staff may correct a member's history.")},
            code="not_staff",
        )
    require_writer(actor, member=member)


def _check(member: Member, before: set[str], row: StageChange, field: str, *, removed: bool = False) -> None:
    """Refuse what the change broke (present now, not before), naming the corrected row too."""
    broken = sorted(_problems(member) - before)
    if broken:
        message = (
            _("Removing %(row)s would break the history:")
            if removed
            else _("Correcting %(row)s would break the history:")
        )
        prefix = message % {"row": describe_change(row)}
        raise coded({field: " ".join([prefix, *broken])}, code="breaks_history")


def _mirror_status(member: Member) -> None:
    """Member.status follows the latest status event (active before the first one)."""
    events = status_events(member)
    status = events[-1][1] if events else Status.ACTIVE
    if member.status != status:
        member.status = status
        member.save(update_fields=["status", "updated_at"])


def _locked(change: StageChange, actor: Any) -> tuple[Member, StageChange]:
    require_actor(actor)
    _require_stage_change(change)
    _require_staff(actor, change.member)
    member = Member.objects.select_for_update().get(pk=change.member_id)
    return member, StageChange.objects.select_for_update().get(pk=change.pk)


def _require_stage_change(change: Any) -> None:
    if not isinstance(change, StageChange) or change.pk is None:
        raise TypeError("change must be a saved StageChange")


@transaction.atomic
def stage_change_correct(
    *,
    change: StageChange,
    actor: Any,
    on: date | None = None,
    document: str | None = None,
    note: str | None = None,
) -> StageChange:
    """Correct a history row's date, document or note. A stage step's date moves the member's date of
    that stage with it; a status change's date moves the member's status periods (today's status
    follows the latest). Refused, naming both rows, when the corrected history breaks a rule."""
    member, row = _locked(change, actor)
    before = _problems(member)
    if on is not None and on != row.on:
        if on > timezone.localdate():
            raise ValidationError({"on": _("This date cannot be in the future.")})
        row.on = on
        if _is_step(row):
            setattr(member, STAGE_DATE_FIELD[row.to_stage], on)
            member.save(update_fields=[STAGE_DATE_FIELD[row.to_stage], "updated_at"])
    if document is not None:
        row.document = document.strip()
    if note is not None:
        row.note = note.strip()
    row.full_clean(exclude=["recorded_by"])  # a system actor's rows have no user
    row.save()
    if row.to_status:
        _mirror_status(member)
    _check(member, before, row, "on")
    return row


@transaction.atomic
def stage_change_remove(*, change: StageChange, actor: Any) -> None:
    """Remove a history row entered by mistake. A stage step can go only while it is the member's
    latest (the member returns to the stage before it); the registration stays (correct its date);
    a probation extension takes its months with it; a status change takes its period."""
    member, row = _locked(change, actor)
    before = _problems(member)
    if row.from_stage == "" and not row.to_status:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("%(row)s is the member's registration; correct its date instead.")
                % {"row": describe_change(row)}
            }
        )
    if not row.to_status:
        later = (
            StageChange.objects.filter(member=member, to_status="", on__gte=row.on)
            .exclude(pk=row.pk)
            .exclude(on=row.on, pk__lt=row.pk)
            .order_by("on", "pk")
            .first()
        )
        if later is not None:
            raise coded(
                {
                    NON_FIELD_ERRORS: _("%(later)s follows %(row)s; remove or correct it first.")
                    % {"later": describe_change(later), "row": describe_change(row)}
                },
                code="breaks_history",
            )
        if _is_step(row):
            setattr(member, STAGE_DATE_FIELD[row.to_stage], None)
            member.stage = row.from_stage
            member.save(update_fields=["stage", STAGE_DATE_FIELD[row.to_stage], "updated_at"])
        elif member.probation_extended_months:
            member.probation_extended_months = 0
            member.save(update_fields=["probation_extended_months", "updated_at"])
    described = StageChange(pk=row.pk, member=row.member, from_stage=row.from_stage, to_stage=row.to_stage)
    described.to_status, described.on, described.note = row.to_status, row.on, row.note
    row.delete()
    if row.to_status:
        _mirror_status(member)
    _check(member, before, described, NON_FIELD_ERRORS, removed=True)
