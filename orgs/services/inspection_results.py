"""Staff record the registry's side of an annual inspection: filing dates and the result."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.models import AnnualInspection, Organization
from orgs.services.inspections import inspection_not_owed_reason
from orgs.services.organizations import check_registry_actor


@transaction.atomic
def inspection_record_result(
    *,
    organization: Organization,
    year: int,
    actor,
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
