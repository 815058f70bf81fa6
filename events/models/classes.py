"""Party-school classes (党校培训班): a class (期/班) with its trainees (activists and candidates) and its
sessions (training events with the class hours and days each credits). A trainee's credits are read
from attendance (Attendance.came) — nothing is typed twice; members.services.stages adds them to the
hand-entered outside training when checking a candidate's training requirement.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.querysets import PartyClassQuerySet


class PartyClass(models.Model):
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("organizing party organization"),
        on_delete=models.PROTECT,
        related_name="party_classes",
    )
    name = models.CharField(_("class"), max_length=200, help_text=_("e.g. 2026年第1期入党积极分子培训班"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartyClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("party-school class")
        verbose_name_plural = _("party-school classes")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="events_class_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartyClassTrainee(models.Model):
    party_class = models.ForeignKey(
        PartyClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="trainees"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="party_classes"
    )

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [models.UniqueConstraint(fields=["party_class", "member"], name="events_trainee_once")]

    def __str__(self) -> str:
        return f"{self.party_class} · {self.member}"


class PartyClassSession(models.Model):
    party_class = models.ForeignKey(
        PartyClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("training event"),
        on_delete=models.PROTECT,
        related_name="class_session",
    )
    class_hours = models.PositiveSmallIntegerField(_("class hours credited"))
    days = models.DecimalField(_("days credited"), max_digits=3, decimal_places=1, default=Decimal("0"))

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=0, days__lte=1), name="events_session_days_0_to_1"),
        ]

    def __str__(self) -> str:
        return f"{self.party_class} · {self.event}"
