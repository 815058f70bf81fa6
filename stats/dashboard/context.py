"""Everything the dashboard panels show for one region (the portal page and the admin home share it).

The query string carries the region, the date and the filters (the same names as the API, the
command and the export): parse_query reads them, answering a field error for bad input.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Organization
from stats.coverage.engine import OrgFilter
from stats.coverage.inputs import parse_day, parse_org_filter
from stats.dashboard import charts
from stats.dashboard.figures import dashboard_data, latest_refresh
from stats.dashboard.lists import cut, upcoming_reminders
from stats.dashboard.scope import region_choices

FILTER_FIELDS = ("registration", "kind", "management_mode", "min_staff", "max_staff")


def parse_query(params) -> tuple[dict, dict]:
    """({"day": date | None, "org_filter": OrgFilter}, {field: message}) from a query string."""
    errors: dict = {}
    query: dict[str, Any] = {"day": None, "org_filter": OrgFilter()}
    try:
        query["day"] = parse_day(params.get("date"), default=None) if params.get("date") else None
    except ValidationError as exc:
        errors |= {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    try:
        query["org_filter"] = parse_org_filter(params)
    except ValidationError as exc:
        errors |= {field: " ".join(messages) for field, messages in exc.message_dict.items()}
    return query, errors


def headline(data) -> dict:
    result = data.result
    large = result.figures.large
    return {
        "total": result.figures.total,
        "org_covered": result.figures.org_covered,
        "org_coverage": charts.percent(result.figures.org_coverage),
        "work_covered": result.figures.work_covered,
        "work_coverage": charts.percent(result.figures.work_coverage),
        "should_build": result.figures.should_build,
        "leads": len(result.leads),
        "party_organizations": result.party_organizations,
        "party_members": result.party_members,
        "temporary_members": result.members_by_affiliation.get("temporary", 0),
        "flowing_members": result.members_by_affiliation.get("flowing", 0),
        "large_total": large.total if large else 0,
        "large_org_coverage": charts.percent(large.org_coverage) if large else None,
        "large_min_staff": result.thresholds["large_org_min_staff"],
        "community_center_share": charts.percent(result.service_centers.community_share),
    }


def filter_summary(org_filter: OrgFilter) -> str:
    """The filters in words ("Registration: Registered; Staff at least: 30"), empty without filters."""
    parts = []
    for field, values in (
        (Organization.Registration, org_filter.registrations),
        (Organization.Kind, org_filter.kinds),
        (Organization.ManagementMode, org_filter.management_modes),
    ):
        labels = dict(field.choices)
        if values:
            parts.append("、".join(str(labels[value]) for value in values))
    if org_filter.min_staff is not None:
        parts.append(_("staff ≥ %(n)d") % {"n": org_filter.min_staff})
    if org_filter.max_staff is not None:
        parts.append(_("staff ≤ %(n)d") % {"n": org_filter.max_staff})
    return _("Filtered: %(filters)s") % {"filters": "; ".join(parts)} if parts else ""


def registration_rows(result) -> list[dict]:
    """Registered and filed organizations apart, each by management mode, then the total."""
    rows = []
    for registration, label in Organization.Registration.choices:
        figures = result.by_registration.get(registration)
        if figures is None:
            continue
        modes = result.by_registration_mode.get(registration, {})
        rows.append(
            {
                "label": label,
                "figures": figures,
                "modes": [
                    modes[mode].total if mode in modes else 0 for mode in Organization.ManagementMode.values
                ],
            }
        )
    return rows


def dashboard_context(user, region, params=None) -> dict:
    """The panels' context for `region` (already checked to be in `user`'s scope; None: no region yet)."""
    if region is None:
        return {"region": None}
    params = params or {}
    query, errors = parse_query(params)
    today = timezone.localdate()
    data = None if errors else dashboard_data(region, day=query["day"], org_filter=query["org_filter"])
    context = {
        "region": region,
        "region_choices": region_choices(user, region),
        "data": data,
        "errors": errors,
        "params": {name: params.get(name, "") for name in ("date", *FILTER_FIELDS)},
        "filter_choices": {
            "registration": Organization.Registration.choices,
            "kind": Organization.Kind.choices,
            "management_mode": Organization.ManagementMode.choices,
        },
        "mode_labels": Organization.ManagementMode.labels,
        "filter_summary": filter_summary(query["org_filter"]),
        "today": today,
        "refresh": latest_refresh(region),
        "upcoming": upcoming_reminders(region=region, today=today),
    }
    if data is not None:
        result = data.result
        context |= {
            "headline": headline(data),
            "registrations": registration_rows(result),
            "should_build": cut(result.should_build_list),
            "leads": cut(result.leads),
            "uncovered": cut(result.uncovered_list, result.figures.without_org_coverage),
            "streets": [row for row in result.by_street if row.code is not None],
            "charts": {
                "trend": charts.trend_chart(data.trend),
                "streets": charts.street_chart(result),
                "kinds": charts.kind_chart(result),
                "modes": charts.mode_chart(result),
                "registrations": charts.registration_chart(result),
                "centers": charts.center_chart(result),
            },
        }
    return context
