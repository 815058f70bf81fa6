from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceDisplayMixin
from config.date_bounds import date_in_range
from config.personal_data.fields import EncryptedTextField, KeyedHashField
from config.personal_data.masking import mask_phone
from config.personal_data.phones import validate_phone
from orgs.querysets import OrganizationQuerySet


class Organization(ChoiceDisplayMixin, models.Model):
    """A registered or filed social organization (社会组织).

    A filed (备案) community organization is not a legal person: it has no USCC,
    owes no annual inspection and gets no grade. Only orgs.services writes rows.
    """

    class Kind(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("Social group")
        PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
        FOUNDATION = "foundation", _("Foundation")
        COMMUNITY = "community", _("Community social organization")

    class Registration(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        FILED = "filed", _("Filed")

    class ManagementMode(models.TextChoices):
        TERRITORIAL = "territorial", _("Territorial")
        INDUSTRY = "industry", _("Industry")
        FALLBACK = "fallback", _("Fallback")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DEREGISTERED = "deregistered", _("Deregistered")
        REVOKED = "revoked", _("Revoked")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    registration = models.CharField(
        _("registration"), max_length=20, choices=Registration.choices, default=Registration.REGISTERED
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    registering_authority = models.CharField(_("registering authority"), max_length=100, blank=True)
    authority_division_code = models.CharField(
        _("registering authority's division code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A division code has 6 digits."))],
    )
    supervisor = models.CharField(_("supervising unit"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    management_mode = models.CharField(
        _("management mode"),
        max_length=20,
        choices=ManagementMode.choices,
        default=ManagementMode.TERRITORIAL,
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    established_on = models.DateField(_("established on"), null=True, blank=True, validators=[date_in_range])
    registered_on = models.DateField(_("registered on"), null=True, blank=True, validators=[date_in_range])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(
        _("status changed on"), null=True, blank=True, validators=[date_in_range]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    # Encrypted at rest like a member's phone (config.personal_data); exact lookups by the hash.
    contact_phone = EncryptedTextField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    contact_phone_hash = KeyedHashField(
        source="contact_phone", hasher="config.personal_data.phones.phone_hash"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    staff_count = models.PositiveIntegerField(_("staff count"), default=0)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="orgs/logos/%Y/", blank=True)
    is_public = models.BooleanField(_("shown in the public directory"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "status"], name="orgs_org_region_status_idx"),
            models.Index(fields=["kind", "status"], name="orgs_org_kind_status_idx"),
            models.Index(fields=["management_mode"], name="orgs_org_mode_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration="registered", uscc__isnull=False)
                | Q(registration="filed", uscc__isnull=True, kind="community"),
                name="orgs_org_uscc_follows_registration",
                violation_error_message=_(
                    "A registered organization needs a USCC; a filed one is a community "
                    "organization without a USCC."
                ),
            ),
            models.UniqueConstraint(
                fields=["name", "region"],
                condition=Q(registration="filed"),
                name="orgs_org_filed_unique_name_region",
                violation_error_message=_(
                    "A filed organization with this name already exists in this region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="orgs_org_inactive_has_date",
                violation_error_message=_(
                    "A deregistered or revoked organization needs the date it happened."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # save(update_fields=[..."contact_phone"]) must store the lookup hash the field recomputes.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "contact_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact_phone_hash"}
        super().save(*args, **kwargs)

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)
