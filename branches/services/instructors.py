"""Party-building instructors (党建指导员) and their dated assignments to organizations.

An organization may have several instructors at once (双派: one from its
industry department, one from its street); one instructor has at most one
active assignment to a given organization (a partial unique index backs it).
"""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Instructor, InstructorAssignment
from branches.services.scope import require_staff, require_visible
from orgs.models import Organization, Region

EDITABLE_FIELDS = ("name", "dispatched_by", "dispatching_body", "region")


def instructor_create(
    *, name: str, dispatched_by: str, dispatching_body: str, region: Region, actor=None
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
def instructor_update(*, instructor: Instructor, actor=None, **fields) -> Instructor:
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
def instructor_set_active(*, instructor: Instructor, is_active: bool, actor=None) -> Instructor:
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


@transaction.atomic
def instructor_assign(
    *, instructor: Instructor, organization: Organization, since: date, actor=None
) -> InstructorAssignment:
    """Assign an instructor to an organization from `since` (an organization may have several)."""
    require_staff(actor)
    require_visible(actor, instructor=instructor, organization=organization)
    row = Instructor.objects.select_for_update().get(pk=instructor.pk)
    if not row.is_active:
        raise ValidationError(
            {"instructor": _("%(name)s is retired; choose an active instructor.") % {"name": row}}
        )
    org = Organization.objects.get(pk=organization.pk)
    if org.status != Organization.Status.ACTIVE:
        raise ValidationError(
            {
                "organization": _("%(org)s is deregistered or revoked; choose an active organization.")
                % {"org": org}
            }
        )
    if since > timezone.localdate():
        raise ValidationError({"since": _("The start date cannot be in the future.")})
    previous = (
        InstructorAssignment.objects.filter(instructor=row, organization=org)
        .filter(until__isnull=True)
        .first()
    )
    if previous is not None:
        raise ValidationError(
            {
                "organization": _("%(name)s is already assigned to %(org)s (since %(date)s).")
                % {"name": row, "org": org, "date": previous.since}
            }
        )
    overlapping = InstructorAssignment.objects.filter(
        instructor=row, organization=org, until__gt=since
    ).first()
    if overlapping is not None:
        raise ValidationError(
            {
                "since": _("%(name)s was assigned to %(org)s until %(date)s; start on or after that day.")
                % {"name": row, "org": org, "date": overlapping.until}
            }
        )
    assignment = InstructorAssignment(instructor=row, organization=org, since=since)
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
def instructor_assignment_end(
    *, assignment: InstructorAssignment, until: date, actor=None
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
