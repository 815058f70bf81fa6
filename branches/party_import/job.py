"""PartyImport: one upload of the party workbook, from its check through its import, run by Celery.

Like the registry import (orgs.models.RegistryImport): the upload is stored privately,
a worker checks it (every row through the services, rolled back: per-cell errors, nothing
written), staff confirm, a worker imports it all or nothing. A job whose worker died is
marked failed (by the beat check or after PARTY_IMPORT_MAX_ATTEMPTS redeliveries) and staff
may retry it. Written only by branches.party_import.jobs.
"""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models.registry_import import private_storage


def upload_path(instance, filename: str) -> str:
    return f"party_imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class PartyImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The staff member who uploaded it (its error list may name rows others may not see), and
        superusers."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if getattr(user, "is_platform_staff", False):
            return self.filter(created_by=user)
        return self.none()

    def running(self):
        return self.filter(status__in=PartyImport.RUNNING)


class PartyImport(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.UPLOADED, Status.CHECKING, Status.IMPORTING)

    file = models.FileField(
        _("file"),
        upload_to=upload_path,
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["xlsx"])],
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="party_imports",
    )
    language = models.CharField(_("language of the messages"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"sheet", "row", "column", "message"}, ...]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("rows added"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    failure_message = models.TextField(_("failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = PartyImportQuerySet.as_manager()

    class Meta:
        app_label = "branches"
        verbose_name = _("party import")
        verbose_name_plural = _("party imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="branches_partyimport_user_idx")]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.is_running:
            return 100 if self.status != self.Status.FAILED else 0
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
