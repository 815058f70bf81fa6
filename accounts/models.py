from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.querysets import NotificationQuerySet
from config.personal_data.fields import EncryptedTextField, KeyedHashField
from config.personal_data.masking import mask_phone
from config.personal_data.phones import validate_phone


class Role(models.TextChoices):
    """The roles of DESIGN.md. Superusers are flagged by `is_superuser`, not by a role."""

    STAFF = "staff", _("District/street staff")
    SECRETARY = "secretary", _("Party organization secretary")
    ORG_CONTACT = "org_contact", _("Organization contact")
    NONE = "none", _("No role")


class User(AbstractUser):
    """Platform account. Staff see everything inside `scope_region`'s subtree."""

    _password: str | None  # set by set_password() until the next save (AbstractBaseUser; not in its stub)

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.NONE)
    scope_region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("scope region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
        help_text=_("District or street whose subtree this staff member sees and changes."),
    )
    # Encrypted at rest like a member's phone (config.personal_data); exact lookups by phone_hash.
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    phone_hash = KeyedHashField(source="phone", hasher="config.personal_data.phones.phone_hash")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization (org contact)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text=_("The one organization an org contact keeps in the portal."),
    )
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization (secretary)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="secretary_users",
        help_text=_("The party organization a secretary keeps in the portal."),
    )

    objects = UserManager()  # type: ignore[misc]  # the stub's ClassVar[UserManager[Self]]; the same manager

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(scope_region__isnull=False),
                name="accounts_user_staff_has_scope_region",
            ),
        ]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def save(self, *args, **kwargs):
        # Every password change ends here (portal, admin, set_password + save, createsuperuser):
        # Django calls its own password_changed hook at this point, and the user's API tokens go
        # too. Sessions end through the session auth hash; tokens have no such hash.
        password_changed = self._password is not None and not self._state.adding
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:  # store the recomputed lookup hash
            kwargs["update_fields"] = {*update_fields, "phone_hash"}
        super().save(*args, **kwargs)
        if password_changed:
            from accounts.services import api_tokens_revoke  # the services import these models

            api_tokens_revoke(user=self)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def get_full_name(self):
        # Chinese order: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_platform_staff(self) -> bool:
        """District/street staff (or a superuser): the admin's users."""
        return self.is_active and (self.is_superuser or self.role == Role.STAFF)

    @property
    def is_district_staff(self) -> bool:
        return (
            self.role == Role.STAFF
            and self.scope_region is not None  # no query when scope_region_id is None
            and (self.scope_region.kind == "district")
        )

    @property
    def is_street_staff(self) -> bool:
        return (
            self.role == Role.STAFF
            and self.scope_region is not None  # no query when scope_region_id is None
            and (self.scope_region.kind == "street")
        )


class Notification(models.Model):
    """An inbox message; reminders from later issues arrive here (unique per dedupe key)."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        REMINDER = "reminder", _("Reminder")
        WARNING = "warning", _("Overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="accounts_notif_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="accounts_notification_unique_dedupe_key",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
