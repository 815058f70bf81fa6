"""Changelist filters with a default choice, shared by every admin: the row set staff want unless they ask.

A default filter (the djangoproject.com members admin) shows the "active" or "current" rows when no
choice is made, and offers "All" to see the rest; the default choice is shown selected.
"""

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

ALL = "all"


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A filter whose `default` applies when the request makes no choice; `ALL` lifts it."""

    default = ""

    def choice(self) -> str:
        return self.value() or self.default

    def choices(self, changelist):
        current = self.choice()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ActiveStatusFilter(DefaultChoiceFilter):
    """The row's `status`, "active" unless another choice is made; `statuses` is the model's TextChoices."""

    title = _("status")
    parameter_name = "status"
    statuses: Any = None  # a TextChoices with an ACTIVE member

    @property
    def default(self):  # type: ignore[override]  # read-only here: follows `statuses`
        return self.statuses.ACTIVE

    def lookups(self, request, model_admin):
        return [*self.statuses.choices, (ALL, _("All"))]

    def queryset(self, request, queryset):
        value = self.choice()
        return queryset if value == ALL else queryset.filter(status=value)


class CurrentFilter(DefaultChoiceFilter):
    """Dated rows: current (no `end_field` yet) unless another choice is made."""

    title = _("in force")
    parameter_name = "current"
    default = "yes"
    end_field = "until"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended")), (ALL, _("All"))]

    def queryset(self, request, queryset):
        value = self.choice()
        if value == ALL:
            return queryset
        return queryset.filter(**{f"{self.end_field}__isnull": value == "yes"})
