"""Chart data for static/js/dashboard.js: plain lists, labels already in the user's language.

Passed to the page with json_script (stats_dashboard.chart_json); the script builds the ECharts
options. Coverage ratios become percentages with one decimal.
"""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orgs.models import Organization
from stats.coverage.result import CoverageResult, Figures
from stats.coverage.table import street_label


def percent(value: float | Decimal | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def trend_chart(trend: list[dict]) -> dict:
    return {
        "categories": [date_format(row["date"], "SHORT_DATE_FORMAT") for row in trend],
        "unit": "%",
        "series": [
            {"name": _("Org coverage"), "values": [percent(row["org_coverage"]) for row in trend]},
            {"name": _("Work coverage"), "values": [percent(row["work_coverage"]) for row in trend]},
        ],
    }


def _stack(groups: list[tuple[str, Figures]]) -> dict:
    """One stacked bar per group: single, joint, fallback, work-covered only, not covered."""
    parts = [
        (_("Single"), lambda f: f.single),
        (_("Joint"), lambda f: f.joint),
        (_("Fallback"), lambda f: f.fallback),
        (_("Work-covered"), lambda f: f.work_covered),
        (_("Not covered"), lambda f: f.not_covered),
    ]
    return {
        "categories": [label for label, _figures in groups],
        "stacked": True,
        "series": [{"name": name, "values": [value(f) for _label, f in groups]} for name, value in parts],
    }


def street_chart(result: CoverageResult) -> dict:
    """Every street; the district-level row (party organizations at the district) only if it has orgs."""
    rows = [row for row in result.by_street if row.code is not None or row.figures.total]
    return _stack([(street_label(row), row.figures) for row in rows])


def _choice_groups(groups: dict[str, Figures], choices) -> list[tuple[str, Figures]]:
    # In the choices' order: a snapshot's JSON (jsonb) does not keep the keys' order.
    return [(str(label), groups[value]) for value, label in choices.choices if value in groups]


def kind_chart(result: CoverageResult) -> dict:
    return _stack(_choice_groups(result.by_kind, Organization.Kind))


def mode_chart(result: CoverageResult) -> dict:
    return _stack(_choice_groups(result.by_management_mode, Organization.ManagementMode))


def registration_chart(result: CoverageResult) -> dict:
    return _stack(_choice_groups(result.by_registration, Organization.Registration))


def center_chart(result: CoverageResult) -> dict:
    """Communities with and without a 党群服务中心 in each street."""
    rows = [row for row in result.by_street if row.code is not None]
    return {
        "categories": [street_label(row) for row in rows],
        "stacked": True,
        "series": [
            {
                "name": _("With a service center"),
                "values": [row.service_centers.communities_with_center for row in rows],
            },
            {
                "name": _("Without"),
                "values": [
                    row.service_centers.communities - row.service_centers.communities_with_center
                    for row in rows
                ],
            },
        ],
    }
