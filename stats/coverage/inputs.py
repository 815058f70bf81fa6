"""Parsing what a user types (command options, API query parameters) into the engine's inputs.

Every refusal is a ValidationError keyed by the field, saying why.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Organization, Region
from stats.coverage.sql import OrgFilter


def parse_day(value: str | None, *, field: str = "date", default: date | None = None) -> date:
    """YYYY-MM-DD, not after today; empty → `default` (today when none)."""
    if value in (None, ""):
        return default or timezone.localdate()
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}},
            code="invalid",
        ) from None
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                field: _("%(day)s is in the future; coverage is computed up to today (%(today)s).")
                % {"day": day.isoformat(), "today": today.isoformat()}
            },
            code="future",
        )
    return day


def region_by_code(code: str | None, *, field: str = "region") -> Region:
    code = (code or "").strip()
    if not code:
        raise ValidationError({field: _("Give a division code (6, 9 or 12 digits).")}, code="required")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(
            {field: _("No region has the division code “%(code)s”.") % {"code": code}}, code="unknown"
        )
    return region


def _choice(value, choices, field: str, errors: dict) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if value not in choices.values:
        errors[field] = _("“%(value)s” is not one of: %(choices)s.") % {
            "value": value,
            "choices": ", ".join(choices.values),
        }
        return ()
    return (value,)


def _staff(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        errors[field] = _("“%(value)s” is not a whole number of staff (0 or more).") % {"value": value}
        return None
    return number


def parse_org_filter(params) -> OrgFilter:
    """kind, registration, management_mode (one value each), min_staff, max_staff; all optional."""
    errors: dict = {}
    org_filter = OrgFilter(
        kinds=_choice(params.get("kind"), Organization.Kind, "kind", errors),
        registrations=_choice(params.get("registration"), Organization.Registration, "registration", errors),
        management_modes=_choice(
            params.get("management_mode"), Organization.ManagementMode, "management_mode", errors
        ),
        min_staff=_staff(params.get("min_staff"), "min_staff", errors),
        max_staff=_staff(params.get("max_staff"), "max_staff", errors),
    )
    if errors:
        raise ValidationError(errors)
    return org_filter
