"""Writes to an alliance's programs: the program, its milestones and its append-only progress entries."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from accounts.recorded_by import recorded_by
from alliances.models import Alliance, Program, ProgramMilestone, ProgramProgress
from alliances.services.actors import require_staff, require_visible

PROGRAM_FIELDS = frozenset(
    {"name", "goals", "description", "budget", "beneficiaries_target", "started_on", "ended_on", "is_public"}
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - PROGRAM_FIELDS
    if unknown:
        raise TypeError(f"Program fields not editable here: {sorted(unknown)}")


def _save(program: Program) -> Program:
    program.name = (program.name or "").strip()
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def program_create(*, alliance: Alliance, actor: Actor, **fields: Any) -> Program:
    _check_fields(fields)
    require_staff(actor)
    require_visible(actor, alliance=alliance)
    return _save(Program(alliance=alliance, **fields))


@transaction.atomic
def program_update(*, program: Program, actor: Actor, **fields: Any) -> Program:
    _check_fields(fields)
    require_staff(actor)
    require_visible(actor, program=program)
    locked = Program.objects.select_for_update().get(pk=program.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    return _save(locked)


@transaction.atomic
def program_milestone_add(
    *, program: Program, title: str, due_on: date, actor: Actor, note: str = ""
) -> ProgramMilestone:
    require_staff(actor)
    require_visible(actor, program=program)
    milestone = ProgramMilestone(program=program, title=(title or "").strip(), due_on=due_on, note=note)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def program_milestone_achieve(
    *, milestone: ProgramMilestone, achieved_on: date, actor: Actor
) -> ProgramMilestone:
    require_staff(actor)
    require_visible(actor, milestone=milestone)
    if achieved_on is None or achieved_on > timezone.localdate():
        raise ValidationError(
            {"achieved_on": _("Give the day the milestone was achieved (not in the future).")}
        )
    milestone = ProgramMilestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.achieved_on = achieved_on
    milestone.full_clean()
    milestone.save(update_fields=["achieved_on"])
    return milestone


@transaction.atomic
def program_progress_record(
    *, program: Program, on: date, beneficiaries_added: int, actor: Actor, note: str = ""
) -> ProgramProgress:
    """Append a progress entry; entries are never edited, a correction is a new entry's note."""
    require_staff(actor)
    require_visible(actor, program=program)
    errors = {}
    if on is None:
        errors["on"] = _("Give the date of the progress.")
    elif on > timezone.localdate():
        errors["on"] = _("Progress is recorded for a day that has passed, not for %(date)s.") % {
            "date": on.isoformat()
        }
    elif program.started_on and on < program.started_on:
        errors["on"] = _("The program started on %(date)s; progress cannot be dated before that.") % {
            "date": program.started_on.isoformat()
        }
    if beneficiaries_added is None or beneficiaries_added < 0:
        errors["beneficiaries_added"] = _("Beneficiaries added is a number of people, zero or more.")
    if errors:
        raise ValidationError(errors)
    entry = ProgramProgress(
        program=program,
        on=on,
        beneficiaries_added=beneficiaries_added,
        note=(note or "").strip(),
        **recorded_by(actor),
    )
    entry.full_clean()
    entry.save()
    return entry
