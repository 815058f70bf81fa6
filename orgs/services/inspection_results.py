"""Staff record the registry's side of an annual inspection: filing dates and the result."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, require_actor
from orgs.models import AnnualInspection, Organization
from orgs.services.inspections import inspection_not_owed_reason, validated_section
from orgs.services.organizations import check_registry_actor

BATCH_SIZE = 500  # rows per INSERT of inspections_record_many
# inspection_file_party_section's defaults; a missing answer is refused like an empty form field
SECTION_DEFAULTS = {
    "has_party_organization": None,
    "no_party_organization_reason": "",
    "full_members_employed": None,
    "party_activities_held": None,
    "party_activities_summary": "",
    "instructor_name": "",
}


def _result_errors(
    *, year: int, result: str, supervisor_filed_on: date | None, registry_filed_on: date | None
) -> dict:
    """What refuses `result` and the filing dates of `year`'s inspection (field → message)."""
    errors = {}
    if result not in AnnualInspection.Result.values:
        errors["result"] = _("Choose one of the inspection results.")
    elif result != AnnualInspection.Result.NOT_FILED and registry_filed_on is None:
        errors["registry_filed_on"] = _("A result needs the date the report was filed with the registry.")
    year_end = date(year, 12, 31)
    for field, value in (
        ("supervisor_filed_on", supervisor_filed_on),
        ("registry_filed_on", registry_filed_on),
    ):
        if value is not None and value <= year_end:
            errors[field] = _("The report for %(year)s can only be filed after the year has ended.") % {
                "year": year
            }
    if (
        "registry_filed_on" not in errors
        and supervisor_filed_on
        and registry_filed_on
        and registry_filed_on < supervisor_filed_on
    ):
        errors["registry_filed_on"] = _(
            "The registry filing cannot come before the report to the supervising unit."
        )
    return errors


@transaction.atomic
def inspection_record_result(
    *,
    organization: Organization,
    year: int,
    actor: Actor,
    result: str,
    supervisor_filed_on: date | None = None,
    registry_filed_on: date | None = None,
) -> AnnualInspection:
    """Create or update `year`'s inspection with the result; the party section is left as filed.

    Refused (nothing written) for an org that owes no inspection that year, for a
    result other than "not filed" without the registry filing date, and for dates
    out of order or before the year ended.
    """
    check_registry_actor(actor, organization)
    reason = inspection_not_owed_reason(organization, year)
    if reason:
        raise ValidationError(reason, code="inspection_not_owed")
    errors = _result_errors(
        year=year, result=result, supervisor_filed_on=supervisor_filed_on, registry_filed_on=registry_filed_on
    )
    if errors:
        raise ValidationError(errors)
    inspection, _created = AnnualInspection.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    inspection.result = result
    inspection.supervisor_filed_on = supervisor_filed_on
    inspection.registry_filed_on = registry_filed_on
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def inspections_record_many(*, actor: Actor, rows: list[dict]) -> list[AnnualInspection]:
    """Bulk entry for loaders (the demo): new inspections, each with its result and, when the
    organization filed, its party-building section (`section`: inspection_file_party_section's
    arguments). Every row passes the checks of inspection_record_result and
    inspection_file_party_section; one refused row refuses them all (nothing written), naming the
    organization and year. One INSERT per batch, no per-row change-log entries (the caller logs a
    summary, as the registry import does)."""
    require_actor(actor)  # before anything, even for an empty batch
    today = timezone.localdate()
    keys = [(row["organization"].pk, row["year"]) for row in rows]
    taken = set(
        AnnualInspection.objects.filter(organization_id__in={pk for pk, _year in keys}).values_list(
            "organization_id", "year"
        )
    )
    inspections = []
    for row, key in zip(rows, keys, strict=True):
        organization, year = row["organization"], row["year"]
        try:
            check_registry_actor(actor, organization)
            reason = inspection_not_owed_reason(organization, year)
            if reason:
                raise ValidationError(reason, code="inspection_not_owed")
            if key in taken:
                raise ValidationError(_("This inspection is already recorded."), code="already_recorded")
            taken.add(key)
            fields = row.get("section")
            if fields is not None:
                if year >= today.year:
                    raise ValidationError(
                        {
                            "year": _("The inspection for %(year)s can be filed from 1 January %(next)s.")
                            % {"year": year, "next": year + 1}
                        }
                    )
                fields = {
                    **validated_section(**{**SECTION_DEFAULTS, **fields}),
                    "party_section_filed_at": timezone.now(),
                    "party_section_filed_by": as_user(actor),
                }
            dates = {name: row.get(name) for name in ("supervisor_filed_on", "registry_filed_on")}
            errors = _result_errors(year=year, result=row["result"], **dates)
            if errors:
                raise ValidationError(errors)
            inspection = AnnualInspection(
                organization=organization, year=year, result=row["result"], **dates, **(fields or {})
            )
            # (organization, year) was checked above for the whole batch; the database holds the rest.
            inspection.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(
                _("%(org)s, %(year)s: %(errors)s")
                % {"org": organization, "year": year, "errors": " ".join(exc.messages)},
                code="row_refused",
            ) from exc
        inspections.append(inspection)
    return AnnualInspection.objects.bulk_create(inspections, batch_size=BATCH_SIZE)
