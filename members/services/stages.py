"""The recruitment pipeline (发展党员工作细则 2014): each step checks its rules and leaves a StageChange.

applicant → activist (the talk recorded, 1–2 cultivation contacts) → candidate (activist
≥ ACTIVIST_MIN_MONTHS, CANDIDATE_MIN_INTRODUCERS full-member introducers, collective training,
political review, six-monthly reviews, the development plan) → probationary (the admission vote,
with the application form recorded; temporary branches do not recruit) → full (after
PROBATION_MONTHS, plus an extension of 6–12 months granted at most once, and the superior
committee's approval). The dated steps that
are not stage changes live in members.services.recruitment_steps.
A refused step raises ValidationError keyed by the field at fault, saying why; every
rule is checked at once so a form shows all of them. Each service locks the member row.

A dated step is checked against the history on its date (members.services.periods), never
against today's status: the member active on that day, the introducers and contacts full members
on that day, the admitting branch in existence on that day, so a district's past loads in any
order; a refusal names the row that conflicts.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from accounts.recorded_by import recorded_by
from events.selectors_classes import training_credits
from members.dates import add_months
from members.models import Member, StageChange
from members.services.errors import coded
from members.services.periods import not_active_on, not_full_member_on, recruit_refusal_on
from members.services.recruitment_steps import (
    activist_missing,
    admission_missing,
    candidate_missing,
    conversion_missing,
)
from members.services.scope import require_writer

Stage = Member.Stage


def probation_ends_on(member: Member) -> date | None:
    """The admission vote + PROBATION_MONTHS + any extension: the earliest conversion date."""
    if member.admitted_on is None:
        return None
    return add_months(member.admitted_on, settings.PROBATION_MONTHS + member.probation_extended_months)


def candidate_eligible_on(member: Member) -> date | None:
    """The earliest day an activist may become a candidate (ACTIVIST_MIN_MONTHS of cultivation)."""
    if member.activist_on is None:
        return None
    return add_months(member.activist_on, settings.ACTIVIST_MIN_MONTHS)


def _locked(member: Member, actor: Actor) -> Member:
    require_writer(actor, member=member)
    return (
        Member.objects.select_for_update(of=("self",)).select_related("party_organization").get(pk=member.pk)
    )


def _require_stage(member: Member, *stages: str, on: date | None = None) -> None:
    """The member is at one of `stages` and was active on `on` (a back-dated step: read from the
    status history on that day; without a date: today)."""
    refusal = not_active_on(member, on or timezone.localdate(), own_step=True)
    if refusal:
        raise coded({NON_FIELD_ERRORS: refusal}, code="not_active")
    if member.stage not in stages:
        raise coded(
            {
                NON_FIELD_ERRORS: _("%(name)s is a %(stage)s; this step is for a %(expected)s.")
                % {
                    "name": member.name,
                    "stage": member.get_stage_display(),
                    "expected": "、".join(str(Stage(s).label) for s in stages),
                }
            },
            code="wrong_stage",
        )


def _date_errors(on: date | None, not_before: date | None, field: str, before_label: str) -> dict:
    if on is None:
        return {field: _("Enter the date.")}
    if on > timezone.localdate():
        return {field: _("This date cannot be in the future.")}
    if not_before is not None and on < not_before:
        return {
            field: _("This date cannot be before %(what)s (%(date)s).")
            % {"what": before_label, "date": not_before.isoformat()}
        }
    return {}


def _full_member_errors(people: Iterable[Member], field: str, member: Member, on: date | None = None) -> dict:
    """Each person an active full member on `on` (a back-dated step), or today without a date."""
    for person in people:
        if person.pk == member.pk:
            return {field: _("A person cannot be their own introducer or contact.")}
        if on is not None:
            refusal = not_full_member_on(person, on)
            if refusal:
                return {field: refusal}
        elif person.status != Member.Status.ACTIVE or person.stage != Stage.FULL:
            return {
                field: _("%(name)s is not an active full member (%(stage)s, %(status)s).")
                % {
                    "name": person.name,
                    "stage": person.get_stage_display(),
                    "status": person.get_status_display(),
                }
            }
    return {}


def _record(
    member: Member, *, from_stage: str, on: date, document: str, actor: Actor, note: str = ""
) -> None:
    StageChange.objects.create(
        member=member,
        from_stage=from_stage,
        to_stage=member.stage,
        on=on,
        document=document,
        note=note,
        **recorded_by(actor),
    )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_make_activist(
    *, member: Member, on: date, contacts: Iterable[Member], document: str = "", actor: Actor
) -> Member:
    """Applicant → activist, naming 1–2 cultivation contacts (培养联系人), active full members."""
    member = _locked(member, actor)
    _require_stage(member, Stage.APPLICANT, on=on)
    contacts = list(contacts)
    errors = _date_errors(on, member.applied_on, "on", _("the application"))
    low, high = settings.ACTIVIST_MIN_CONTACTS, settings.ACTIVIST_MAX_CONTACTS
    if not low <= len(contacts) <= high:
        errors["contacts"] = _("Name %(low)d to %(high)d cultivation contacts; %(count)d given.") % {
            "low": low,
            "high": high,
            "count": len(contacts),
        }
    errors.update(_full_member_errors(contacts, "contacts", member, on) if "contacts" not in errors else {})
    errors.update(activist_missing(member, on))
    _raise(errors)
    member.stage, member.activist_on = Stage.ACTIVIST, on
    member.save(update_fields=["stage", "activist_on", "updated_at"])
    member.contacts.set(contacts)
    _record(member, from_stage=Stage.APPLICANT, on=on, document=document, actor=actor)
    return member


@transaction.atomic
def member_set_introducers(*, member: Member, introducers: Iterable[Member], actor: Actor) -> Member:
    """Name the introducers (入党介绍人) of an activist or candidate: active full members."""
    member = _locked(member, actor)
    _require_stage(member, Stage.ACTIVIST, Stage.CANDIDATE)
    introducers = list(introducers)
    _raise(_full_member_errors(introducers, "introducers", member))
    member.introducers.set(introducers)
    return member


@transaction.atomic
def member_set_contacts(*, member: Member, contacts: Iterable[Member], actor: Actor) -> Member:
    """Replace an activist's cultivation contacts (still 1–2 active full members)."""
    member = _locked(member, actor)
    _require_stage(member, Stage.ACTIVIST)
    contacts = list(contacts)
    low, high = settings.ACTIVIST_MIN_CONTACTS, settings.ACTIVIST_MAX_CONTACTS
    if not low <= len(contacts) <= high:
        raise ValidationError(
            {
                "contacts": _("Name %(low)d to %(high)d cultivation contacts; %(count)d given.")
                % {"low": low, "high": high, "count": len(contacts)}
            }
        )
    _raise(_full_member_errors(contacts, "contacts", member))
    member.contacts.set(contacts)
    return member


@transaction.atomic
def member_record_training(*, member: Member, hours: int, days: int, actor: Actor) -> Member:
    """Record the collective training attended so far (totals, not increments)."""
    member = _locked(member, actor)
    _require_stage(member, Stage.ACTIVIST, Stage.CANDIDATE)
    errors = {}
    if hours is None or hours < 0:
        errors["training_hours"] = _("Enter the class hours attended (0 or more).")
    if days is None or days < 0:
        errors["training_days"] = _("Enter the days attended (0 or more).")
    _raise(errors)
    member.training_hours, member.training_days = hours, days
    member.full_clean()
    member.save(update_fields=["training_hours", "training_days", "updated_at"])
    return member


@transaction.atomic
def member_record_political_review(*, member: Member, passed_on: date, actor: Actor) -> Member:
    """Record the date the political review (政治审查) was passed."""
    member = _locked(member, actor)
    _require_stage(member, Stage.ACTIVIST, Stage.CANDIDATE)
    _raise(_date_errors(passed_on, member.applied_on, "passed_on", _("the application")))
    member.political_review_passed_on = passed_on
    member.save(update_fields=["political_review_passed_on", "updated_at"])
    return member


def training_totals(member: Member) -> tuple:
    """Class hours and days: the hand-entered outside training plus party-school attendance credits."""
    hours, days = training_credits([member.pk]).get(member.pk, (0, 0))
    return member.training_hours + hours, member.training_days + days


def candidate_errors(member: Member, on: date | None) -> dict:
    """Every rule an activist must meet to become a candidate on `on` (empty: all met)."""
    errors = _date_errors(on, member.activist_on, "on", _("the day they became an activist"))
    eligible = candidate_eligible_on(member)
    if "on" not in errors and on is not None and eligible is not None and on < eligible:
        errors["on"] = _(
            "An activist is cultivated for at least %(months)d months before becoming a candidate; "
            "this one can be from %(date)s."
        ) % {"months": settings.ACTIVIST_MIN_MONTHS, "date": eligible.isoformat()}
    # Full members on the day of the step (a back-dated step: from their history), not today.
    day = on if on is not None and "on" not in errors else timezone.localdate()
    named = list(member.introducers.all())
    introducers = sum(1 for person in named if not not_full_member_on(person, day))
    if introducers < settings.CANDIDATE_MIN_INTRODUCERS:
        errors["introducers"] = _(
            "A candidate needs %(min)d introducers who are active full members; %(count)d named."
        ) % {"min": settings.CANDIDATE_MIN_INTRODUCERS, "count": introducers}
        refusals = [not_full_member_on(person, day) for person in named]
        if any(refusals):
            errors["introducers"] += " " + " ".join(r for r in refusals if r)
    hours, days = settings.CANDIDATE_MIN_TRAINING_HOURS, settings.CANDIDATE_MIN_TRAINING_DAYS
    got_hours, got_days = training_totals(member)
    if got_hours < hours and got_days < days:
        errors["training_hours"] = _(
            "Collective training of at least %(hours)d class hours or %(days)d days is required; "
            "%(got_hours)s hours and %(got_days)s days are recorded."
        ) % {
            "hours": hours,
            "days": days,
            "got_hours": got_hours,
            "got_days": got_days.normalize() if hasattr(got_days, "normalize") else got_days,
        }
    review = member.political_review_passed_on
    if review is None or (on is not None and review > on):
        errors["political_review_passed_on"] = _(
            "The political review must be passed (and recorded) before the person becomes a candidate."
        )
    return errors


@transaction.atomic
def member_make_candidate(*, member: Member, on: date, document: str = "", actor: Actor) -> Member:
    """Activist → candidate (发展对象), when every rule of candidate_errors holds."""
    member = _locked(member, actor)
    _require_stage(member, Stage.ACTIVIST, on=on)
    _raise({**candidate_errors(member, on), **candidate_missing(member, on)})
    member.stage, member.candidate_on = Stage.CANDIDATE, on
    member.save(update_fields=["stage", "candidate_on", "updated_at"])
    _record(member, from_stage=Stage.ACTIVIST, on=on, document=document, actor=actor)
    return member


@transaction.atomic
def member_admit(*, member: Member, admitted_on: date, document: str = "", actor: Actor) -> Member:
    """Candidate → probationary member from the branch meeting's admission vote; probation starts that day."""
    member = _locked(member, actor)
    _require_stage(member, Stage.CANDIDATE, on=admitted_on)
    errors = _date_errors(
        admitted_on, member.candidate_on, "admitted_on", _("the day they became a candidate")
    )
    # The branch that voted existed on the day of the vote (a dissolved branch's past admissions load).
    refusal = recruit_refusal_on(member.party_organization, admitted_on or timezone.localdate())
    if refusal:
        errors[NON_FIELD_ERRORS] = refusal
    errors.update(admission_missing(member))
    _raise(errors)
    member.stage, member.admitted_on = Stage.PROBATIONARY, admitted_on
    member.save(update_fields=["stage", "admitted_on", "updated_at"])
    _record(member, from_stage=Stage.CANDIDATE, on=admitted_on, document=document, actor=actor)
    return member


@transaction.atomic
def member_extend_probation(*, member: Member, months: int, document: str = "", actor: Actor) -> Member:
    """Extend a probation by 6–12 months (PROBATION_EXTENSION_MONTHS), at most once."""
    member = _locked(member, actor)
    _require_stage(member, Stage.PROBATIONARY)
    low, high = settings.PROBATION_EXTENSION_MONTHS
    if member.probation_extended_months:
        raise coded(
            {
                "months": _(
                    "The probation was already extended by %(months)d months; it can be extended once."
                )
                % {"months": member.probation_extended_months}
            },
            code="already_extended",
        )
    if months is None or not low <= months <= high:
        raise ValidationError(
            {
                "months": _("A probation may be extended by %(low)d to %(high)d months.")
                % {"low": low, "high": high}
            }
        )
    member.probation_extended_months = months
    member.full_clean()
    member.save(update_fields=["probation_extended_months", "updated_at"])
    _record(
        member,
        from_stage=Stage.PROBATIONARY,
        on=timezone.localdate(),
        document=document,
        actor=actor,
        note=_("Probation extended by %(months)d months.") % {"months": months},
    )
    return member


@transaction.atomic
def member_convert_to_full(*, member: Member, on: date, document: str = "", actor: Actor) -> Member:
    """Probationary → full member (转正), once the probation (with any extension) is over."""
    member = _locked(member, actor)
    _require_stage(member, Stage.PROBATIONARY, on=on)
    assert member.admitted_on is not None  # probationary: admitted
    errors = _date_errors(on, member.admitted_on, "on", _("the admission vote"))
    ends = probation_ends_on(member)
    if "on" not in errors and ends is not None and on < ends:
        errors["on"] = _(
            "The probation runs %(months)d months from the admission vote (%(admitted)s); "
            "conversion is possible from %(date)s."
        ) % {
            "months": settings.PROBATION_MONTHS + member.probation_extended_months,
            "admitted": member.admitted_on.isoformat(),
            "date": ends.isoformat(),
        }
    errors.update(conversion_missing(member))
    _raise(errors)
    member.stage, member.full_on = Stage.FULL, on
    member.save(update_fields=["stage", "full_on", "updated_at"])
    _record(member, from_stage=Stage.PROBATIONARY, on=on, document=document, actor=actor)
    return member
