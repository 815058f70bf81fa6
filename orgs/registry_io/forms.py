"""The upload form: only checks that the file is plausibly an .xlsx of acceptable size."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# 200k rows of the template's 23 columns compress to about 15 MB.
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registry workbook (.xlsx)"),
        validators=[
            FileExtensionValidator(["xlsx"], message=_("Upload an .xlsx workbook (Excel 2007 or later)."))
        ],
        help_text=_("Start from the template; the first sheet is read."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != _ZIP_MAGIC:
            raise forms.ValidationError(_("This is not an .xlsx workbook (an .xls or a renamed file?)."))
        return upload
