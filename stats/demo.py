"""Demo snapshots: the demo district (and its streets) at the last twelve month-ends and today, so the
dashboard, its trend chart, the public home card and the Excel export work on a fresh machine.
Touches only the demo district; dates already stored are left as they are (a re-run changes nothing)."""

from django.utils import timezone

from orgs.demo.regions import DISTRICT_CODE
from orgs.models import Region
from stats.conf import stats_setting
from stats.snapshots import coverage_snapshots_fill_missing, series_days


def seed_snapshots() -> int:
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return 0
    days = series_days(months=stats_setting("BACKFILL_MONTHS"), today=timezone.localdate())
    return len(coverage_snapshots_fill_missing(region=district, days=days))
