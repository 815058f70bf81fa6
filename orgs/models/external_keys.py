from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalKey(models.Model):
    """A source system's key for one of our records (the provincial system's id, a spreadsheet's row
    key), unique per kind of record and district, so a client that loads or re-syncs a district
    updates what it sent before instead of duplicating it (orgs.services.external_keys)."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        STATUS_CHANGE = "status_change", _("Organization status change")
        PARTY_ORGANIZATION = "party_organization", _("Party organization")
        COVERAGE_LINK = "coverage_link", _("Coverage link")
        INSTRUCTOR = "instructor", _("Instructor")
        INSTRUCTOR_ASSIGNMENT = "instructor_assignment", _("Instructor assignment")
        COMMITTEE_POST = "committee_post", _("Committee post")
        MEMBER = "member", _("Member")
        EVENT = "event", _("Event")
        ALLIANCE = "alliance", _("Alliance")
        ALLIANCE_MEMBERSHIP = "alliance_membership", _("Alliance membership")
        PAIRING = "pairing", _("Pairing")
        GRID_PAIRING = "grid_pairing", _("Grid pairing")

    kind = models.CharField(_("kind of record"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        "orgs.Region", verbose_name=_("district"), on_delete=models.CASCADE, related_name="external_keys"
    )
    external_id = models.CharField(_("external id"), max_length=100)
    object_id = models.BigIntegerField(_("record"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external key")
        verbose_name_plural = _("external keys")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "district", "external_id"],
                name="orgs_external_key_unique_per_district",
                violation_error_message=_("This external id is already used in this district."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="orgs_external_key_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.external_id}"
