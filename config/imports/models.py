"""The job row every background import shares; each import's concrete model adds its counts."""

import uuid
from typing import Any, ClassVar, cast

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.actors import require_viewer
from config.date_bounds import date_in_range


def private_storage() -> Any:
    """settings.STORAGES["private"]: outside MEDIA_ROOT, served by no web server."""
    return storages["private"]


def upload_path(instance: Any, filename: str) -> str:
    """An unguessable folder per file, under the import's own folder: the sheets hold phones and
    ID numbers, and media may be web-served."""
    return f"{instance.upload_folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Any:
        """A job is seen by the staff member who uploaded it (and superusers).

        Not region-scoped: a district officer's file may name every street, and its error list
        would show rows a street officer may not see.
        """
        require_viewer(user)
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if getattr(user, "is_platform_staff", False):
            return self.filter(created_by=user)
        return self.none()

    def running(self) -> Any:
        return self.filter(status__in=cast(Any, self.model).RUNNING)


class ImportJob(models.Model):
    """One upload, from its check through its commit. Written only by config.imports.jobs.

    `VALIDATING` and `COMMITTING` name the stored values of the two running phases (the party
    import stores them as "checking" and "importing").
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    VALIDATING: ClassVar[str] = Status.VALIDATING
    COMMITTING: ClassVar[str] = Status.COMMITTING
    RUNNING: ClassVar[tuple[str, ...]] = (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING)
    upload_folder = "imports"  # each import its own folder in private storage

    # Deleted when the job ends; private storage meanwhile.
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
        related_name="%(class)ss",
    )
    language = models.CharField(_("language of the messages"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    failure_message = models.TextField(_("failure"), blank=True)
    # Runs of the current phase started (a task redelivered after a dead worker counts again).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True, validators=[date_in_range])

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def error_total(self) -> int:
        """Errors found (an import that keeps only the first ones counts them all)."""
        return len(self.errors)

    @property
    def errors_truncated(self) -> bool:
        return self.error_total > len(self.errors)

    @property
    def error_rows(self) -> list[dict]:
        """The errors as {sheet, row, column, message}, whichever form the import stores."""
        return [
            error if isinstance(error, dict) else dict(zip(("row", "column", "message"), error, strict=False))
            for error in self.errors
        ]

    @property
    def errors_name_sheets(self) -> bool:
        return any(isinstance(error, dict) and error.get("sheet") for error in self.errors)
