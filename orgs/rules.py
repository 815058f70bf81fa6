"""Registry rules of DOMAIN.md: who owes an annual inspection, its deadlines, grade validity.

Each number is a setting (config/settings/base.py, "PLATFORM RULES"); the Python
predicate and the Q expression state the same rule and are tested together.
"""

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.db.models import Q

if TYPE_CHECKING:
    from orgs.models import Organization


class InspectionDeadlines(NamedTuple):
    supervisor: date  # report to the supervising unit (业务主管单位)
    registry: date  # file with the registry (登记管理机关)


def inspection_deadlines(year: int) -> InspectionDeadlines:
    """The report for year Y is due in Y+1 (by default 31 March and 31 May)."""
    return InspectionDeadlines(
        supervisor=date(year + 1, *settings.ANNUAL_INSPECTION_SUPERVISOR_DEADLINE),
        registry=date(year + 1, *settings.ANNUAL_INSPECTION_REGISTRY_DEADLINE),
    )


def inspection_skip_from(year: int) -> date:
    """First registration date that skips year Y's inspection.

    The boundary: an org registered on or after this day has been registered for
    at most ANNUAL_INSPECTION_SKIP_MONTHS months when the year ends, so it skips.
    With 6 months that day is 1 July: registered 1 July (exactly the last six
    months, 1 July–31 December) skips; registered 30 June owes.
    """
    months_back = settings.ANNUAL_INSPECTION_SKIP_MONTHS
    index = (year + 1) * 12 - months_back  # months since year 0, counted from 1 January of Y+1
    return date(index // 12, index % 12 + 1, 1)


def inspection_owed(organization: "Organization", year: int) -> bool:
    """Whether `organization` owes the annual inspection for `year` (same rule as owing_inspection_q)."""
    if organization.registration != "registered":
        return False  # filed community orgs never owe one
    year_end = date(year, 12, 31)
    if organization.status != "active" and (
        organization.status_changed_on is None or organization.status_changed_on <= year_end
    ):
        return False  # gone before the year ended
    registered_on = organization.registered_on
    # An unknown registration date counts as long registered: a registered org owes unless shown new.
    return registered_on is None or registered_on < inspection_skip_from(year)


def owing_inspection_q(year: int) -> Q:
    """Q over Organization for the orgs owing the inspection for `year` (see inspection_owed)."""
    year_end = date(year, 12, 31)
    return (
        Q(registration="registered")
        & (Q(status="active") | Q(status_changed_on__gt=year_end))
        & (Q(registered_on__isnull=True) | Q(registered_on__lt=inspection_skip_from(year)))
    )


def grade_validity(announced_on: date) -> tuple[date, date]:
    """(valid_from, valid_until): 1 January after the announcement to 31 December of the
    GRADE_VALID_YEARS-th year, e.g. announced 2025-11-20 → 2026-01-01 … 2030-12-31."""
    first_year = announced_on.year + 1
    return date(first_year, 1, 1), date(first_year + settings.GRADE_VALID_YEARS - 1, 12, 31)
