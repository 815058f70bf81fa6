from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.date_bounds import date_in_range
from config.imports.models import ImportJob, private_storage, upload_path


class RegistryImport(ImportJob):
    """One upload of the registry spreadsheet, from validation through commit.

    Rows are validated first (status `invalid` with every bad row, or `valid`);
    only a valid import may be committed, in one transaction. Written only by
    orgs.services.registry_import (the shared config.imports.jobs service).
    """

    upload_folder = "registry_imports"

    # The validated rows, spooled by validation so the commit does not parse the workbook again.
    rows_file = models.FileField(
        _("validated rows"), upload_to=upload_path, storage=private_storage, blank=True, editable=False
    )
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    # errors: [[row, column header, message], ...], capped at registry_io.validate.ERRORS_KEPT entries.
    created_count = models.PositiveIntegerField(_("organizations created"), default=0)
    updated_count = models.PositiveIntegerField(_("organizations updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows without changes"), default=0)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True, validators=[date_in_range])

    class Meta(ImportJob.Meta):
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="orgs_regimport_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done") | Q(committed_at__isnull=True),
                name="orgs_regimport_committed_only_when_done",
            ),
        ]

    @property
    def error_total(self) -> int:
        return self.error_count
