"""On-demand refresh of a region's figures for today (the dashboard's button).

A refresh is a CoverageRefresh row: requested by a staff user inside their scope, run by a Celery
task (eagerly in the quick start), reporting its progress on the row. At most one is under way per
region (a partial unique index): a second request while one runs gets the running one back. A
refresh whose worker died stays "running" until REFRESH_STALE_MINUTES have passed; then it is marked
failed and a new one may start.
"""

import time
from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.actors import as_user, is_system, require_actor
from orgs.models import Region
from stats.conf import stats_setting
from stats.dashboard.scope import is_dashboard_user
from stats.models import CoverageRefresh
from stats.snapshots import coverage_snapshots_write, month_ends, region_with_streets

# Regions computed per step: a district and its streets in about four steps, so the page moves.
HISTORY_FROM = date(2000, 1, 1)  # the earliest month-end a staff member may fill from the dashboard


def _fail_stale(region: Region) -> None:
    cutoff = timezone.now() - timedelta(minutes=stats_setting("REFRESH_STALE_MINUTES"))
    CoverageRefresh.objects.for_region(region).under_way().filter(requested_at__lt=cutoff).update(
        status=CoverageRefresh.Status.FAILED,
        finished_at=timezone.now(),
        error=_("The refresh did not finish in time (its worker stopped); start it again."),
    )


def coverage_refresh_request(
    *, region: Region, actor, since: date | None = None
) -> tuple[CoverageRefresh, bool]:
    """Ask for `region`'s figures to be recomputed for today, and with `since` also at every
    month-end from that date (the history as a series). Returns (refresh, created): created is
    False when a refresh of the region is already under way (that one is returned).

    `actor` must be staff whose scope contains the region (a superuser or a system actor: any region);
    anyone else is refused. The task is sent after the transaction commits.
    """
    require_actor(actor)
    allowed = is_system(actor) or (
        is_dashboard_user(actor) and Region.objects.visible_to(actor).filter(pk=region.pk).exists()
    )
    if not allowed:
        raise PermissionDenied(_("You may only refresh the figures of a region inside your scope."))
    today = timezone.localdate()
    if since is not None and not (HISTORY_FROM <= since <= today):
        raise ValidationError(
            {
                "since": _("Give a date from %(first)s to today.")
                % {"first": date_format(HISTORY_FROM, "DATE_FORMAT")}
            },
            code="out_of_range",
        )
    from stats.tasks import coverage_refresh_task  # the task module imports this one

    _fail_stale(region)
    try:
        with transaction.atomic():
            refresh = CoverageRefresh.objects.create(
                region=region, day=today, since=since, requested_by=as_user(actor)
            )
    except IntegrityError:  # one is under way (the partial unique index decided, even under a race)
        return CoverageRefresh.objects.for_region(region).under_way().get(), False
    transaction.on_commit(lambda: coverage_refresh_task.delay(refresh.pk))
    return refresh, True


def coverage_refresh_run(*, refresh_id: int) -> CoverageRefresh:
    """The task's service: compute and store the snapshots of the refresh's region (with its streets)
    for its date, reporting progress. Safe to run twice: a finished refresh is left as it is."""
    claimed = CoverageRefresh.objects.filter(pk=refresh_id, status=CoverageRefresh.Status.QUEUED).update(
        status=CoverageRefresh.Status.RUNNING, progress=0
    )
    refresh = CoverageRefresh.objects.select_related("region").get(pk=refresh_id)
    if not claimed:  # already run (a retry or a duplicate delivery)
        return refresh
    started = time.perf_counter()
    regions = region_with_streets(refresh.region)
    days = (
        [*month_ends(since=refresh.since, until=refresh.day), refresh.day] if refresh.since else [refresh.day]
    )
    # Each date in one pass: the district and its streets together (each organization's facts once;
    # cutting them into steps so the bar moved rescanned the links and members each step). The bar
    # moves per date.
    step = len(regions)
    snapshots = []

    def progress_of(index: int) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            share = (index + done / total) / len(days)
            CoverageRefresh.objects.filter(pk=refresh_id).update(progress=min(99, round(share * 100)))

        return progress

    try:
        for index, day in enumerate(days):
            snapshots += coverage_snapshots_write(
                regions=regions, day=day, batch_size=step, progress=progress_of(index)
            )
    except Exception as exc:  # recorded for the page, then re-raised for the worker's log and retry
        CoverageRefresh.objects.filter(pk=refresh_id).update(
            status=CoverageRefresh.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:300]
        )
        raise
    CoverageRefresh.objects.filter(pk=refresh_id).update(
        status=CoverageRefresh.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        snapshots=len(snapshots),
        duration_ms=round((time.perf_counter() - started) * 1000),
    )
    refresh.refresh_from_db()
    return refresh
