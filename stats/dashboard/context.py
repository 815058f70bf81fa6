"""Everything the dashboard panels show for one region (the portal page and the admin home share it)."""

from django.utils import timezone

from stats.dashboard import charts
from stats.dashboard.figures import region_figures
from stats.dashboard.lists import should_build_rows, uncovered_organizations, upcoming_reminders
from stats.dashboard.scope import region_choices

PARTY_MEMBER_STAGES = ("probationary", "full")


def headline(figures: dict) -> dict:
    return {
        "total": figures["total"],
        "org_covered": figures["org_covered"],
        "org_coverage": charts.percent(figures["org_coverage"]),
        "work_covered": figures["work_covered"],
        "work_coverage": charts.percent(figures["work_coverage"]),
        "should_build": figures["should_build"],
        "party_organizations": sum(figures["party_organizations_by_kind"].values()),
        "party_members": sum(figures["members_by_stage"].get(stage, 0) for stage in PARTY_MEMBER_STAGES),
        "large_total": figures["large"]["total"],
        "large_org_coverage": charts.percent(figures["large"]["org_coverage"]),
        "large_min_staff": figures["thresholds"]["large_org_min_staff"],
    }


def dashboard_context(user, region) -> dict:
    """The panels' context for `region` (already checked to be in `user`'s scope; None: no region yet)."""
    if region is None:
        return {"region": None}
    today = timezone.localdate()
    data = region_figures(region)
    context = {
        "region": region,
        "region_choices": region_choices(user, region),
        "data": data,
        "today": today,
        "upcoming": upcoming_reminders(region=region, today=today),
        "uncovered": uncovered_organizations(region=region, day=today),
    }
    if data is not None:
        context |= {
            "headline": headline(data.figures),
            "should_build": should_build_rows(data.figures),
            "charts": {
                "trend": charts.trend_chart(data.trend),
                "streets": charts.street_chart(data.figures),
                "kinds": charts.kind_chart(data.figures),
                "modes": charts.mode_chart(data.figures),
            },
        }
    return context
