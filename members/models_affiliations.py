"""Temporary and flowing members (临时党员 / 流动党员) as dated records valid over their period.

A temporary member (双隶属) keeps the formal relation elsewhere — a party organization in the system
or a body outside it — and takes part in a temporary branch that holds them for its task. A flowing
member is away (外出流动) since a date, somewhere, and a branch keeps contact with them; the last
contact date decides the reminder when contact lapses (members.affiliation_rules). One record at a
time per member (periods never overlap; members.services.affiliations checks it under the member's
lock); `Member.affiliation` mirrors the open record for today's lists, statistics on a past day
read the records.
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.recorded_by import RecordedBy
from config.date_bounds import date_in_range
from members.models import Member
from members.querysets import AffiliationRecordQuerySet


class AffiliationRecord(RecordedBy):
    class Kind(models.TextChoices):
        TEMPORARY = Member.Affiliation.TEMPORARY.value, Member.Affiliation.TEMPORARY.label
        FLOWING = Member.Affiliation.FLOWING.value, Member.Affiliation.FLOWING.label

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="affiliation_records"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"), validators=[date_in_range])
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])
    # Temporary: where the formal relation lies (in the system, or a body outside it) and who holds them.
    formal_party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("formal relation with (in the system)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formal_outside_body = models.CharField(
        _("formal relation with (outside body)"), max_length=200, blank=True
    )
    holding_party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("temporary branch holding the member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="temporary_member_records",
    )
    # Flowing: where they are, and the branch that keeps contact.
    location = models.CharField(_("where the member is"), max_length=200, blank=True)
    contact_party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization keeping contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flowing_member_records",
    )
    last_contact_on = models.DateField(
        _("last contact on"), null=True, blank=True, validators=[date_in_range]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = AffiliationRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary or flowing period")
        verbose_name_plural = _("temporary and flowing members")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["kind", "ends_on"], name="members_affiliation_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="members_affiliation_dates_ordered",
                violation_error_message=_("The period ends on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(kind="flowing")
                | (
                    Q(
                        holding_party_organization__isnull=False,
                        location="",
                        contact_party_organization__isnull=True,
                    )
                    & (
                        Q(formal_party_organization__isnull=False, formal_outside_body="")
                        | (Q(formal_party_organization__isnull=True) & ~Q(formal_outside_body=""))
                    )
                ),
                name="members_temporary_fields",
                violation_error_message=_(
                    "A temporary member has a holding temporary branch and one formal relation: a party "
                    "organization or an outside body."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="temporary")
                | (
                    Q(contact_party_organization__isnull=False, holding_party_organization__isnull=True)
                    & Q(formal_party_organization__isnull=True, formal_outside_body="")
                    & ~Q(location="")
                ),
                name="members_flowing_fields",
                violation_error_message=_(
                    "A flowing member has a place and a party organization keeping contact."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.starts_on}"

    @property
    def formal_relation(self) -> str:
        if self.formal_party_organization is not None:  # no query when the id is empty
            return self.formal_party_organization.name
        return self.formal_outside_body

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
