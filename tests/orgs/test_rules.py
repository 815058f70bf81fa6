"""Who owes the annual inspection, its deadlines, and how long a grade is valid (DOMAIN.md).

Every case checks the Python predicate and the SQL Q against each other.
"""

from datetime import date

import pytest

from orgs.models import Organization
from orgs.rules import (
    grade_validity,
    inspection_deadlines,
    inspection_owed,
    inspection_skip_from,
    owing_inspection_q,
)
from tests.orgs.factories import OrganizationFactory


def _owes(org, year) -> bool:
    in_python = inspection_owed(org, year)
    in_sql = Organization.objects.filter(owing_inspection_q(year), pk=org.pk).exists()
    assert in_python == in_sql, "inspection_owed and owing_inspection_q disagree"
    return in_python


def test_inspection_skip_from_default_is_first_of_july():
    assert inspection_skip_from(2025) == date(2025, 7, 1)


def test_inspection_skip_from_follows_setting(settings):
    settings.ANNUAL_INSPECTION_SKIP_MONTHS = 3
    assert inspection_skip_from(2025) == date(2025, 10, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("registered_on", "owes"),
    [
        (date(2025, 6, 30), True),  # more than six months registered at year end
        (date(2025, 7, 1), False),  # exactly the last six months (1 Jul – 31 Dec): skips
        (date(2025, 8, 1), False),
        (date(2026, 1, 5), False),  # not yet registered when the year ended
        (date(2010, 1, 1), True),
    ],
)
def test_inspection_owed_registration_boundary(regions, registered_on, owes):
    org = OrganizationFactory(registered_on=registered_on)
    assert _owes(org, 2025) is owes


@pytest.mark.django_db
def test_inspection_owed_filed_community_org_never(regions):
    org = OrganizationFactory(registration="filed", kind="community", registered_on=date(2010, 1, 1))
    assert _owes(org, 2025) is False


@pytest.mark.django_db
def test_inspection_owed_unknown_registration_date_owes(regions):
    org = OrganizationFactory(registered_on=None)
    assert _owes(org, 2025) is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changed_on", "owes"),
    [(date(2025, 12, 31), False), (date(2026, 1, 1), True)],
)
def test_inspection_owed_deregistered_owes_only_if_gone_after_year_end(regions, changed_on, owes):
    org = OrganizationFactory(status="deregistered", status_changed_on=changed_on)
    assert _owes(org, 2025) is owes


def test_inspection_deadlines_fall_in_following_year():
    deadlines = inspection_deadlines(2025)
    assert deadlines.supervisor == date(2026, 3, 31)
    assert deadlines.registry == date(2026, 5, 31)


def test_inspection_deadlines_follow_settings(settings):
    settings.ANNUAL_INSPECTION_REGISTRY_DEADLINE = (6, 30)
    assert inspection_deadlines(2025).registry == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("announced_on", "valid_from", "valid_until"),
    [
        (date(2025, 11, 20), date(2026, 1, 1), date(2030, 12, 31)),
        (date(2025, 1, 1), date(2026, 1, 1), date(2030, 12, 31)),
        (date(2025, 12, 31), date(2026, 1, 1), date(2030, 12, 31)),
    ],
)
def test_grade_validity_from_next_january_for_five_years(announced_on, valid_from, valid_until):
    assert grade_validity(announced_on) == (valid_from, valid_until)


def test_grade_validity_follows_setting(settings):
    settings.GRADE_VALID_YEARS = 3
    assert grade_validity(date(2025, 5, 1)) == (date(2026, 1, 1), date(2028, 12, 31))
