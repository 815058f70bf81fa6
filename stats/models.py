"""Dated coverage snapshots (what dashboards read) and on-demand refresh jobs."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stats.querysets import CoverageRefreshQuerySet, CoverageSnapshotQuerySet


class CoverageSnapshot(models.Model):
    """The coverage figures of one region's subtree on one date (stats.coverage's result as JSON).

    One row per (region, date): recomputing a date replaces its row (stats.snapshots). `figures`
    holds the whole result, breakdowns and lists included, so a dashboard page reads every number
    and list it shows from one snapshot: one date, one computation.
    """

    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="coverage_snapshots",
    )
    date = models.DateField(_("date"))
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"))

    objects = CoverageSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        ordering = ["region_id", "-date"]
        # The unique index on (region, date) also serves "latest snapshots of a region".
        constraints = [
            models.UniqueConstraint(
                fields=["region", "date"],
                name="stats_snapshot_one_per_region_date",
                violation_error_message=_("This region already has a coverage snapshot for this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.date}"


class CoverageRefresh(models.Model):
    """One on-demand recomputation of a region's figures (the dashboard's refresh button).

    At most one queued or running refresh per region (a partial unique index): a second request
    while one is under way is shown the running one instead of starting another.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="coverage_refreshes"
    )
    day = models.DateField(_("date"))
    since = models.DateField(
        _("month-ends from"),
        null=True,
        blank=True,
        help_text=_("Also fill a snapshot at every month-end from this date (history as a series)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    snapshots = models.PositiveIntegerField(_("snapshots written"), default=0)
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    objects = CoverageRefreshQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage refresh")
        verbose_name_plural = _("coverage refreshes")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(status__in=["queued", "running"]),
                name="stats_one_refresh_under_way_per_region",
                violation_error_message=_("The figures of this region are already being refreshed."),
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="stats_refresh_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.day} {self.get_status_display()}"

    @property
    def under_way(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
