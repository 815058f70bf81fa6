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


# --- Stored coverage facts (stats.coverage.facts): the nightly snapshot reads these ---
# Rows written and read by SQL only (stats.coverage.sql's ORG_FACT_TABLE, MEMBER_FACT_TABLE); no
# foreign keys: a fact outlives nothing, it is deleted and rewritten when its source rows change.


class OrgFact(models.Model):
    """One organization active on CoverageFactsState.day, with the facts of it the coverage
    figures count (its strongest link, work coverage, full members employed, its latest declared
    party section)."""

    id = models.BigIntegerField(_("organization id"), primary_key=True)
    region_id = models.BigIntegerField(_("region id"), db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30)
    registration = models.CharField(_("registration"), max_length=20)
    management_mode = models.CharField(_("management mode"), max_length=20)
    staff_count = models.PositiveIntegerField(_("staff count"))
    mode_rank = models.PositiveSmallIntegerField(_("strongest link"))  # sql.MODE_RANK, 0: none
    instructed = models.PositiveSmallIntegerField(_("instructor assigned"))
    full_members = models.PositiveIntegerField(_("full members employed"), null=True)
    declared_year = models.PositiveIntegerField(_("declared in year"), null=True)
    declared_po = models.BooleanField(_("declares a party organization"), null=True)
    declared_members = models.PositiveIntegerField(_("declared full members"), null=True)

    class Meta:
        verbose_name = _("organization coverage fact")
        verbose_name_plural = _("organization coverage facts")

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"


class MemberFact(models.Model):
    """One member held by a party organization on CoverageFactsState.day: the region of that party
    organization, their stage and period on the day, whether they were active."""

    id = models.BigIntegerField(_("member id"), primary_key=True)
    region_id = models.BigIntegerField(_("region id"), db_index=True)
    # NULL, not '': the figures tell "no stage yet" and "no period" by NULL, as the live statement does
    stage = models.CharField(_("stage"), max_length=20, null=True)  # noqa: DJ001
    affiliation = models.CharField(_("temporary or flowing"), max_length=20, null=True)  # noqa: DJ001
    active = models.PositiveSmallIntegerField(_("active"))

    class Meta:
        verbose_name = _("member coverage fact")
        verbose_name_plural = _("member coverage facts")

    def __str__(self) -> str:
        return f"{self.pk} {self.stage or ''}"


class MemberCount(models.Model):
    """MemberFact summed per (region, stage, period), kept with it: the members of the snapshot's
    region statement ('' for no stage yet, no period: the key is unique)."""

    region_id = models.BigIntegerField(_("region id"))
    stage = models.CharField(_("stage"), max_length=20)
    affiliation = models.CharField(_("temporary or flowing"), max_length=20)
    members = models.PositiveIntegerField(_("members"))
    active = models.PositiveIntegerField(_("active"))

    class Meta:
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")
        constraints = [
            models.UniqueConstraint(
                fields=["region_id", "stage", "affiliation"], name="stats_member_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.stage} {self.affiliation}: {self.active}/{self.members}"


class CoverageFactsState(models.Model):
    """The day the stored facts hold (one row; none: they must be built afresh)."""

    day = models.DateField(_("date"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("coverage facts state")
        verbose_name_plural = _("coverage facts states")

    def __str__(self) -> str:
        return str(self.day)


class FactChange(models.Model):
    """A source row of the facts changed: written by the database's triggers (migration 0005) on
    every insert, update and delete of the tables the facts are computed from; read and deleted by
    the next refresh. kind: o = organization, m = member, p = party organization."""

    kind = models.CharField(_("kind"), max_length=1)
    obj_id = models.BigIntegerField(_("object id"))

    class Meta:
        verbose_name = _("coverage fact change")
        verbose_name_plural = _("coverage fact changes")

    def __str__(self) -> str:
        return f"{self.kind}{self.obj_id}"
