"""Party-building instructors (党建指导员) and their dated assignments to organizations.

An organization may have several instructors at once (双派: one from its
industry department, one from its street); one instructor has at most one
active assignment to a given organization (a partial unique index backs it).
"""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import Instructor, InstructorAssignment
from branches.services.coverage import check_dates, overlap_q, span
from branches.services.scope import require_staff, require_visible
from orgs.models import Organization, Region
from orgs.services.status_history import check_active_over

EDITABLE_FIELDS = ("name", "dispatched_by", "dispatching_body", "region")


def instructor_create(
    *, name: str, dispatched_by: str, dispatching_body: str, region: Region, actor: Actor
) -> Instructor:
    require_staff(actor)
    require_visible(actor, region=region)
    instructor = Instructor(
        name=(name or "").strip(),
        dispatched_by=dispatched_by,
        dispatching_body=(dispatching_body or "").strip(),
        region=region,
    )
    instructor.full_clean()
    instructor.save()
    return instructor


@transaction.atomic
def instructor_update(*, instructor: Instructor, actor: Actor, **fields: Any) -> Instructor:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Instructor fields not editable here: {sorted(unknown)}")
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: instructor})
    if "region" in fields:
        require_visible(actor, region=fields["region"])
    row = Instructor.objects.select_for_update().get(pk=instructor.pk)
    for field, value in fields.items():
        setattr(row, field, value.strip() if isinstance(value, str) else value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def instructor_set_active(*, instructor: Instructor, is_active: bool, actor: Actor) -> Instructor:
    """Retire (or bring back) an instructor; retiring needs every assignment ended first."""
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: instructor})
    row = Instructor.objects.select_for_update().get(pk=instructor.pk)
    if not is_active:
        open_count = row.assignments.filter(until__isnull=True).count()
        if open_count:
            raise ValidationError(
                {
                    "is_active": _(
                        "%(name)s still has %(count)d current assignments; end them before retiring."
                    )
                    % {"name": row, "count": open_count}
                }
            )
    row.is_active = is_active
    row.save(update_fields=["is_active"])
    return row


def describe_assignment(assignment: InstructorAssignment) -> str:
    return _("%(name)s → %(org)s (%(span)s, assignment no. %(pk)s)") % {
        "name": assignment.instructor,
        "org": assignment.organization,
        "span": span(assignment.since, assignment.until),
        "pk": assignment.pk,
    }


def _check_assignment(
    row: Instructor, org: Organization, since: date, until: date | None, exclude_pk: int | None = None
) -> None:
    """Periods against periods: within the organization's active periods (its status history),
    no day shared with another assignment of the same instructor to the same organization."""
    if not row.is_active and until is None:
        raise ValidationError(
            {"instructor": _("%(name)s is retired; choose an active instructor.") % {"name": row}}
        )
    check_dates(since, until)
    what = _("the assignment (%(span)s)") % {"span": span(since, until)}
    check_active_over(org, since, until, field="organization", what=what)
    same = InstructorAssignment.objects.filter(instructor=row, organization=org)
    same = same.exclude(pk=exclude_pk)  # type: ignore[misc]  # pk=None: excludes nothing
    current = same.filter(until__isnull=True).first()
    if current is not None and until is None and current.since <= since:
        raise ValidationError(
            {
                "organization": _("%(name)s is already assigned to %(org)s (since %(date)s).")
                % {"name": row, "org": org, "date": current.since}
            }
        )
    clash = same.filter(overlap_q(since, until)).select_related("instructor", "organization").first()
    if clash is not None:
        raise ValidationError(
            {
                "since": _(
                    "%(name)s is already assigned to %(org)s over %(span)s (%(row)s), which overlaps the "
                    "new assignment (%(new)s)."
                )
                % {
                    "name": row,
                    "org": org,
                    "span": span(clash.since, clash.until),
                    "row": describe_assignment(clash),
                    "new": span(since, until),
                }
            },
            code="overlap",
        )


@transaction.atomic
def instructor_assign(
    *,
    instructor: Instructor,
    organization: Organization,
    since: date,
    until: date | None = None,
    actor: Actor,
) -> InstructorAssignment:
    """Assign an instructor to an organization from `since` (until `until`, exclusive, for a
    back-dated assignment that already ended). An organization may have several instructors."""
    require_staff(actor)
    require_visible(actor, instructor=instructor, organization=organization)
    row = Instructor.objects.select_for_update().get(pk=instructor.pk)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_assignment(row, org, since, until)
    assignment = InstructorAssignment(instructor=row, organization=org, since=since, until=until)
    assignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"organization": _("%(name)s is already assigned to %(org)s.") % {"name": row, "org": org}}
        ) from exc
    return assignment


@transaction.atomic
def instructor_assignment_correct(
    *, assignment: InstructorAssignment, since: date, until: date | None, actor: Actor
) -> InstructorAssignment:
    """Correct an assignment's dates, checked like a new one against every other row
    (django-auditlog keeps the old values)."""
    require_staff(actor)
    require_visible(actor, assignment=assignment)
    row = Instructor.objects.select_for_update().get(pk=assignment.instructor_id)
    org = Organization.objects.select_for_update().get(pk=assignment.organization_id)
    current = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    _check_assignment(row, org, since, until, exclude_pk=current.pk)
    current.since, current.until = since, until
    current.full_clean(validate_constraints=False)
    current.save(update_fields=["since", "until"])
    return current


@transaction.atomic
def instructor_assignment_end(
    *, assignment: InstructorAssignment, until: date, actor: Actor
) -> InstructorAssignment:
    require_staff(actor)
    require_visible(actor, assignment=assignment)
    row = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if row.until is not None:
        raise ValidationError(
            {"until": _("This assignment already ended on %(date)s.") % {"date": row.until}}
        )
    if until <= row.since:
        raise ValidationError(
            {"until": _("The end date must be after the start date (%(date)s).") % {"date": row.since}}
        )
    if until > timezone.localdate():
        raise ValidationError({"until": _("The end date cannot be in the future.")})
    row.until = until
    row.full_clean()
    row.save(update_fields=["until"])
    return row


@transaction.atomic
def instructor_assignment_remove(*, assignment: InstructorAssignment, actor: Actor) -> None:
    """Remove an assignment entered by mistake (staff; django-auditlog records the removal). No other
    row depends on an assignment, so a removal breaks no period: the organization's work coverage
    over those days is simply read again without it."""
    require_staff(actor)
    require_visible(actor, assignment=assignment)
    Instructor.objects.select_for_update().get(pk=assignment.instructor_id)
    InstructorAssignment.objects.select_for_update().get(pk=assignment.pk).delete()
