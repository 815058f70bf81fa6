"""The organization filters the API shares with orgs.selectors.organization_list (same as the admin's)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import AnnualInspection, GradeAward, Organization
from orgs.selectors import (
    RESULT_EXEMPT,
    filter_current_grade,
    filter_inspection_result,
    in_street,
    search_organizations,
)

GRADE_CHOICES = [(str(value), label) for value, label in GradeAward.Grade.choices] + [("none", _("No grade"))]
INSPECTION_RESULT_CHOICES = [*AnnualInspection.Result.choices, (RESULT_EXEMPT, _("Not owed"))]


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    registration = django_filters.ChoiceFilter(choices=Organization.Registration.choices)
    management_mode = django_filters.ChoiceFilter(choices=Organization.ManagementMode.choices)
    status = django_filters.ChoiceFilter(choices=Organization.Status.choices)
    street = django_filters.CharFilter(
        method="filter_street", label=_("street (division code)"), max_length=12
    )
    grade = django_filters.ChoiceFilter(choices=GRADE_CHOICES, method="filter_grade", label=_("grade"))
    inspection_year = django_filters.NumberFilter(
        method="filter_noop", label=_("inspection year (default: last year)"), min_value=1988, max_value=2100
    )
    inspection_result = django_filters.ChoiceFilter(
        choices=INSPECTION_RESULT_CHOICES, method="filter_inspection", label=_("inspection result")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("name or USCC"), max_length=100)

    class Meta:
        model = Organization
        fields = ["kind", "registration", "management_mode", "status"]

    def filter_street(self, queryset, name, value):
        return in_street(queryset, value) if value else queryset

    def filter_grade(self, queryset, name, value):
        return filter_current_grade(queryset, value) if value else queryset

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_inspection

    def filter_inspection(self, queryset, name, value):
        if not value:
            return queryset
        year = self.form.cleaned_data.get("inspection_year") or timezone.localdate().year - 1
        return filter_inspection_result(queryset, year=int(year), result=value)

    def filter_search(self, queryset, name, value):
        return search_organizations(queryset, value)
