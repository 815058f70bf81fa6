"""Portal forms of the alliances app. They shape input only; the services judge every rule."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alliances.models import BudgetLine, ReviewCriterion, VentureApplication
from config.date_bounds import BoundedDateField
from orgs.models import Organization

BUDGET_LINE_ROWS = 6


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(BoundedDateField):
    """A calendar month typed as YYYY-MM (or a full date), cleaned to its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if isinstance(day, dt.date) else day


class ApplicationForm(forms.Form):
    organization: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=_("Applying organization"), queryset=None, empty_label=None
    )
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    party_building_element = forms.CharField(
        label=_("Party-building element"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How Party building runs through the project (required in a red round)."),
    )
    beneficiaries_planned = forms.IntegerField(label=_("Beneficiaries planned"), min_value=0, initial=0)
    total_budget = forms.DecimalField(label=_("Total budget (yuan)"), max_digits=12, decimal_places=2)
    requested_amount = forms.DecimalField(label=_("Amount requested (yuan)"), max_digits=12, decimal_places=2)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = cast(forms.ModelChoiceField, self.fields["organization"])
        organization.queryset = organizations
        organization.error_messages["invalid_choice"] = _("Choose an organization you act for.")


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *BudgetLine.Category.choices], required=False
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if cleaned.get("amount") is not None and not cleaned.get("category"):
            self.add_error("category", _("Choose the category of this line."))
        return cleaned

    def as_line(self) -> dict | None:
        data = getattr(self, "cleaned_data", {})
        if not data or (
            data.get("amount") is None and not data.get("category") and not data.get("description")
        ):
            return None
        return {
            "category": data.get("category"),
            "description": data.get("description", ""),
            "amount": data.get("amount"),
        }


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=BUDGET_LINE_ROWS, max_num=30, absolute_max=30)


class MilestoneReportForm(forms.Form):
    report = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}))


class GridRecordForm(forms.Form):
    month = MonthField(label=_("Month"))
    services_count = forms.IntegerField(label=_("Services delivered"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReviewForm(forms.Form):
    """One score per criterion of the round (the service checks the range and says which criterion)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        criteria: list[ReviewCriterion],
        initial_scores: dict | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.name} (0–{criterion.max_score})",
                required=False,
                initial=(initial_scores or {}).get(criterion.pk),
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.max_score, "step": 1}),
                help_text=criterion.description,
            )

    def scores(self) -> dict[int, str | None]:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}") or "").strip() or None for c in self.criteria}


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *VentureApplication.Status.choices], required=False
    )
