import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.actors import require_viewer
from config.date_bounds import date_in_range


def private_storage():
    """settings.STORAGES["private"]: outside MEDIA_ROOT, served by no web server."""
    return storages["private"]


def upload_path(instance, filename: str) -> str:
    """An unguessable folder per file: the sheets hold contact phones, and media may be web-served."""
    return f"registry_imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class RegistryImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import job is seen by the staff member who uploaded it (and superusers).

        Not region-scoped like the registry: a district officer's file may name
        every street, and its error list would show rows a street officer may not see.
        """
        require_viewer(user)
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if getattr(user, "is_platform_staff", False):
            return self.filter(created_by=user)
        return self.none()

    def running(self):
        return self.filter(status__in=RegistryImport.RUNNING)


class RegistryImport(models.Model):
    """One upload of the registry spreadsheet, from validation through commit.

    Rows are validated first (status `invalid` with every bad row, or `valid`);
    only a valid import may be committed, in one transaction. Written only by
    orgs.services.registry_import; live progress goes through orgs.registry_io.progress.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.UPLOADED, Status.VALIDATING, Status.COMMITTING)
    FINISHED = (Status.INVALID, Status.VALID, Status.DONE, Status.FAILED)

    # Deleted when the job ends (orgs.services.registry_import); private storage meanwhile.
    file = models.FileField(
        _("file"),
        upload_to=upload_path,
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["xlsx"])],
    )
    # The validated rows, spooled by validation so the commit does not parse the workbook again.
    rows_file = models.FileField(
        _("validated rows"), upload_to=upload_path, storage=private_storage, blank=True, editable=False
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="registry_imports",
    )
    language = models.CharField(_("language of the messages"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    # [[row, column header, message], ...], capped at registry_io.validate.ERRORS_KEPT entries.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("organizations created"), default=0)
    updated_count = models.PositiveIntegerField(_("organizations updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows without changes"), default=0)
    failure_message = models.TextField(_("failure"), blank=True)
    # Runs of the current phase started (a redelivered task after a dead worker counts again).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True, validators=[date_in_range])
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True, validators=[date_in_range])

    objects = RegistryImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="orgs_regimport_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done") | Q(committed_at__isnull=True),
                name="orgs_regimport_committed_only_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)
