"""The admin's Excel import of the party side (branches.party_import), on the shared import-job
pages (config.imports.admin): upload (size-capped) → a worker checks every row (rolled back:
per-cell errors, counts) → confirm → a worker imports it all or nothing."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.party_import.jobs import MAX_UPLOAD_BYTES, PARTY_IMPORTS
from branches.party_import.workbook import template_response
from config.imports.admin import ImportJobAdminMixin


class PartyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Party workbook (.xlsx)"),
        help_text=gettext_lazy("Start from the template: sheets 党组织, 覆盖关系, 党建指导员, 指导关系."),
    )

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file


class PartyImportAdminMixin(ImportJobAdminMixin):
    """Adds import/, import/<id>/ and import/template.xlsx to PartyOrganizationAdmin."""

    import_jobs = PARTY_IMPORTS
    import_form = PartyUploadForm
    import_kind = "party"
    import_title = gettext_lazy("Import party organizations, links and instructors from Excel")
    import_steps = (
        gettext_lazy(
            "Download the template: one sheet each for party organizations (with their superior "
            "and dates), coverage links, instructors and their assignments, and a sheet of the valid "
            "region codes."
        ),
        gettext_lazy(
            "Upload the file: a background job checks every row through the same rules as the forms and "
            "lists each wrong cell; nothing is written yet. Its page shows the progress."
        ),
        gettext_lazy(
            "When no row is wrong, confirm: all rows are written together, or none. Rows imported before "
            "(same external id) are updated."
        ),
    )

    def import_template_response(self, request: HttpRequest) -> HttpResponseBase:
        return template_response()
