"""Writes to GradeAward. The validity dates come from the announcement (orgs.rules.grade_validity)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from orgs.models import GradeAward, Organization
from orgs.rules import grade_validity
from orgs.services.organizations import check_registry_actor


def grade_award_errors(*, organization: Organization, announced_on: date | None) -> dict[str, str]:
    """What refuses a new grade for `organization` (field → message); empty when it may be awarded.
    The admin's inline form shows these on its fields before anything is saved."""
    errors = {}
    if organization.registration == Organization.Registration.FILED:
        errors["organization"] = _(
            "%(name)s is a filed organization: only registered organizations receive a grade."
        ) % {"name": organization.name}
    elif organization.status != Organization.Status.ACTIVE:
        errors["organization"] = _("%(name)s is %(status)s and cannot receive a grade.") % {
            "name": organization.name,
            "status": organization.get_status_display(),
        }
    if announced_on is None:
        errors["announced_on"] = _("Give the date the grade was announced.")
    elif announced_on > timezone.localdate():
        errors["announced_on"] = _("The announcement date cannot be in the future.")
    elif (
        organization.pk
        and GradeAward.objects.filter(organization=organization, announced_on=announced_on).exists()
    ):
        errors["announced_on"] = _("This organization already has a grade announced on %(date)s.") % {
            "date": announced_on.isoformat()
        }
    return errors


@transaction.atomic
def grade_award_create(
    *, organization: Organization, grade: int, announced_on: date, document: str = "", actor: Actor
) -> GradeAward:
    """Record an evaluation grade for a registered, active organization.

    A filed community organization is not a legal person and is never graded.
    """
    check_registry_actor(actor, organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    errors = grade_award_errors(organization=organization, announced_on=announced_on)
    if errors:
        raise ValidationError(errors)
    valid_from, valid_until = grade_validity(announced_on)
    award = GradeAward(
        organization=organization,
        grade=grade,
        announced_on=announced_on,
        document=(document or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def grade_award_delete(*, award: GradeAward, actor: Actor) -> None:
    """Remove a grade recorded by mistake (the audit log keeps the deleted row)."""
    check_registry_actor(actor, award.organization)
    award.delete()
