"""The party-building section (党组织建设及开展党的活动情况) of an annual inspection, filed in the portal.

The inspection "for year Y" reports on year Y and is due in Y+1 (orgs.rules
.inspection_deadlines). The portal files the report period — the previous calendar
year (`inspection_report_year`): on time until the registry deadline, late after it.
Supervisor and registry dates and the result stay with district staff.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, is_unrestricted
from orgs.models import AnnualInspection, Organization
from orgs.rules import inspection_owed, inspection_skip_from
from orgs.services.profiles import actor_keeps_organization

COUNT_FIELDS = ("full_members_employed", "party_activities_held")


def inspection_report_year(today: date | None = None) -> int:
    """The year whose inspection is being filed: always the previous calendar year."""
    return (today or timezone.localdate()).year - 1


def inspection_not_owed_reason(organization: Organization, year: int) -> str:
    """Why `organization` owes no inspection for `year` ("" when it does owe one)."""
    if inspection_owed(organization, year):
        return ""
    if organization.registration != Organization.Registration.REGISTERED:
        return _(
            "%(name)s is a filed community organization: it is not a legal person and files no "
            "annual inspection."
        ) % {"name": organization.name}
    if organization.status != Organization.Status.ACTIVE:
        return _("%(name)s is %(status)s and files no annual inspection for %(year)s.") % {
            "name": organization.name,
            "status": organization.get_status_display(),
            "year": year,
        }
    assert organization.registered_on is not None  # owed when the date is unknown (inspection_owed)
    return _(
        "%(name)s was registered on %(date)s, within %(months)s months of the end of %(year)s, "
        "and skips that year's inspection (registered before %(from)s it would owe one)."
    ) % {
        "name": organization.name,
        "date": date_format(organization.registered_on, "DATE_FORMAT"),
        "months": settings.ANNUAL_INSPECTION_SKIP_MONTHS,
        "year": year,
        "from": date_format(inspection_skip_from(year), "DATE_FORMAT"),
    }


def validated_section(
    *,
    has_party_organization,
    no_party_organization_reason,
    full_members_employed,
    party_activities_held,
    party_activities_summary,
    instructor_name,
) -> dict:
    errors: dict[str, str] = {}
    reason = (no_party_organization_reason or "").strip()
    if has_party_organization is None:
        errors["has_party_organization"] = _("Say whether the organization has a party organization.")
    elif has_party_organization is False and not reason:
        errors["no_party_organization_reason"] = _(
            "Without a party organization, give the reason (for example: fewer than three full "
            "members, members held by a joint branch)."
        )
    counts = {"full_members_employed": full_members_employed, "party_activities_held": party_activities_held}
    for name, value in counts.items():
        if value is None or value == "":
            errors[name] = _("Enter a number (0 if there are none).")
        elif isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
            errors[name] = _("Enter a whole number.")
        elif int(value) < 0:
            errors[name] = _("Enter a whole number of 0 or more.")
        else:
            counts[name] = int(value)
    if errors:
        raise ValidationError(errors)
    return {
        "has_party_organization": has_party_organization,
        # With a party organization the "why not" is moot: keep the row consistent.
        "no_party_organization_reason": "" if has_party_organization else reason,
        **counts,
        "party_activities_summary": (party_activities_summary or "").strip(),
        "instructor_name": (instructor_name or "").strip(),
    }


@transaction.atomic
def inspection_file_party_section(
    *,
    organization: Organization,
    year: int,
    actor: Actor,
    has_party_organization: bool | None,
    no_party_organization_reason: str = "",
    full_members_employed: int | None,
    party_activities_held: int | None,
    party_activities_summary: str = "",
    instructor_name: str = "",
) -> AnnualInspection:
    """Create or update `year`'s inspection with its party-building section; records who filed it and when.

    Refused (ValidationError, nothing written) for an org that owes no inspection that
    year, for a year not yet ended, and — for its contact — once the registry has
    recorded a result (staff correct it from then on).
    """
    if not actor_keeps_organization(actor, organization):
        raise PermissionDenied(_("You may only file for your own organization."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    today = timezone.localdate()
    if year >= today.year:
        raise ValidationError(
            {
                "year": _("The inspection for %(year)s can be filed from 1 January %(next)s.")
                % {"year": year, "next": year + 1}
            }
        )
    reason = inspection_not_owed_reason(organization, year)
    if reason:
        raise ValidationError(reason, code="inspection_not_owed")

    section = validated_section(
        has_party_organization=has_party_organization,
        no_party_organization_reason=no_party_organization_reason,
        full_members_employed=full_members_employed,
        party_activities_held=party_activities_held,
        party_activities_summary=party_activities_summary,
        instructor_name=instructor_name,
    )
    inspection, _created = AnnualInspection.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    registry_side = is_unrestricted(actor) or getattr(actor, "is_platform_staff", False)
    if inspection.result != AnnualInspection.Result.NOT_FILED and not registry_side:
        raise ValidationError(
            _(
                "The registry has already recorded the result of the %(year)s inspection; ask district "
                "staff to correct the party-building section."
            )
            % {"year": year},
            code="inspection_closed",
        )
    for name, value in section.items():
        setattr(inspection, name, value)
    inspection.party_section_filed_at = timezone.now()
    inspection.party_section_filed_by = as_user(actor)
    inspection.full_clean()
    inspection.save()
    return inspection
