"""Portal forms of the dues pages. Each saves every field it shows, through a dues service."""

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dues.conf import dues_setting
from dues.models import Category
from orgs.models import Region


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (an <input type="month">), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class BaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    monthly_income = forms.DecimalField(
        label=_("Monthly income after tax (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("For income and pension only."),
    )
    pledged_amount = forms.DecimalField(
        label=_("Pledged monthly amount (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Only if the member pays more than the rules ask."),
    )
    valid_from = MonthField(label=_("Valid from (month)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Change (yuan)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Negative to take back an amount recorded too much, positive to add."),
    )
    paid_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Reason"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in payment sheet (.xlsx)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        limit = dues_setting("IMPORT_MAX_BYTES")
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not (upload.name or "").lower().endswith(".xlsx") or upload.read(4) != b"PK\x03\x04":
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        upload.seek(0)
        return upload


class YearReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2008)
    region: "forms.ModelChoiceField[Region]" = forms.ModelChoiceField(
        label=_("Street or district"), queryset=None, required=False
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Choose this year or an earlier one."))
        return year
