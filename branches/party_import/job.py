"""PartyImport: one upload of the party workbook, from its check through its import, run by Celery.

The shared import job (config.imports): the upload is stored privately, a worker checks it (every
row through the services, rolled back: per-cell errors, nothing written), staff confirm, a worker
imports it all or nothing. Written only by branches.party_import.jobs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.imports.models import ImportJob


class PartyImport(ImportJob):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    VALIDATING = Status.CHECKING
    COMMITTING = Status.IMPORTING
    RUNNING = (Status.UPLOADED, Status.CHECKING, Status.IMPORTING)
    upload_folder = "party_imports"

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    # errors: [{"sheet", "row", "column", "message"}, ...]
    created_count = models.PositiveIntegerField(_("rows added"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)

    class Meta(ImportJob.Meta):
        app_label = "branches"
        verbose_name = _("party import")
        verbose_name_plural = _("party imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="branches_partyimport_user_idx")]
