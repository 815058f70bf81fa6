"""Dated coverage snapshots: what dashboards read instead of recomputing the figures.

Kept in its own module (imported at the end of branches/models.py) so the coverage
engine's storage stays apart from the party tree's models.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q


class CoverageSnapshotQuerySet(ScopedQuerySet):
    def for_region(self, region):
        return self.filter(region=region)

    def for_staff(self, region):
        """Staff see the snapshots of regions inside their subtree."""
        return self.filter(in_region_q(region, "region__"))


class CoverageSnapshot(models.Model):
    """The coverage figures of one region's subtree on one date (branches.coverage.engine's result).

    One row per (region, date): recomputing a date replaces its row
    (branches.coverage.snapshots). `figures` holds the whole result, breakdowns and
    the should-build list included, so a dashboard reads trends and charts from
    snapshots alone.
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
                name="branches_snapshot_one_per_region_date",
                violation_error_message=_("This region already has a coverage snapshot for this date."),
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.date}"
