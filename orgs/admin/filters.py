"""Changelist filters of the organization admin. None of them counts rows per choice."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config import admin_filters
from orgs.filters import GRADE_CHOICES, INSPECTION_RESULT_CHOICES
from orgs.models import Organization, Region
from orgs.selectors import filter_current_grade, filter_inspection_result

# A street dropdown longer than this is useless (and a full-table read at country scale):
# past it, staff narrow by search or by their own scope instead.
STREET_FILTER_MAX = 200
INSPECTION_YEARS_SHOWN = 5


class ActiveStatusFilter(admin_filters.ActiveStatusFilter):
    statuses = Organization.Status


class StreetFilter(admin.SimpleListFilter):
    """Streets inside the user's scope only (a street officer sees one: their own)."""

    title = _("street/town")
    parameter_name = "street"

    def lookups(self, request, model_admin):
        streets = (
            Region.objects.visible_to(request.user)
            .streets()
            .order_by("code")
            .values_list("code", "name")[: STREET_FILTER_MAX + 1]
        )
        streets = list(streets)
        return streets if len(streets) <= STREET_FILTER_MAX else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        street = Region.objects.visible_to(request.user).filter(code=self.value()).only("pk").first()
        return queryset.in_region(street) if street is not None else queryset.none()


class CurrentGradeFilter(admin.SimpleListFilter):
    title = _("current grade")
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return GRADE_CHOICES

    def queryset(self, request, queryset):
        value = self.value()
        if value is None or value not in dict(GRADE_CHOICES):
            return queryset
        return filter_current_grade(queryset, value)


def default_inspection_year() -> int:
    return timezone.localdate().year - 1


def inspection_year_from(request) -> int:
    """The year the inspection-result filter looks at: `?inspection_year=`, else last year."""
    raw = request.GET.get(InspectionYearFilter.parameter_name, "")
    return int(raw) if raw.isdigit() and 1988 <= int(raw) <= 2100 else default_inspection_year()


class InspectionYearFilter(admin.SimpleListFilter):
    """Only chooses the year the next filter reads; it filters nothing by itself."""

    title = _("inspection year")
    parameter_name = "inspection_year"

    def lookups(self, request, model_admin):
        last = default_inspection_year()
        return [(str(year), str(year)) for year in range(last, last - INSPECTION_YEARS_SHOWN, -1)]

    def choices(self, changelist):
        current = str(inspection_year_from(self.request))
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset


class InspectionResultFilter(admin.SimpleListFilter):
    parameter_name = "inspection_result"

    def __init__(self, request, params, model, model_admin):
        self.title = gettext("inspection result of %(year)s") % {"year": inspection_year_from(request)}
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return INSPECTION_RESULT_CHOICES

    def queryset(self, request, queryset):
        value = self.value()
        if value is None or value not in dict(INSPECTION_RESULT_CHOICES):
            return queryset
        return filter_inspection_result(queryset, year=inspection_year_from(request), result=value)
