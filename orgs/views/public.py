"""The public directory of social organizations (/orgs/): public fields only, for everyone.

Both views read through the public scope (`visible_to(PUBLIC)`: active and `is_public`)
whoever is logged in: the directory is the public face, not a staff tool, so a staff
member sees exactly what the public sees. Templates show only the public fields;
contact phone, legal representative, staff notes and inspections never reach them.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.actors import PUBLIC
from config.paginator import CappedPaginator
from orgs import selectors
from orgs.forms import DirectoryFilterForm
from orgs.models import GradeAward

PAGE_SIZE = 20
STREET_SUGGESTIONS = 10  # streets offered when a street term matches several
GRADE_LABELS = dict(GradeAward.Grade.choices)
# Exactly the columns the directory shows: the private ones are never even loaded.
LIST_FIELDS = (
    "id",
    "name",
    "short_name",
    "kind",
    "registration",
    "logo",
    "region__name",
    "region__kind",
    "region__parent__name",
)


def _street_filter(filters: dict) -> tuple[dict, list]:
    """The street term resolved to one street's code, or dropped with the streets it could mean."""
    term = filters.pop("street", "")
    if not term:
        return filters, []
    matches = selectors.public_street_matches(term, STREET_SUGGESTIONS)
    if len(matches) == 1:
        return {**filters, "street": matches[0][0]}, []
    return filters, matches[:STREET_SUGGESTIONS]


@require_GET
def organization_list(request):
    form = DirectoryFilterForm(request.GET or None)
    filters, street_suggestions = _street_filter(form.filters())
    organizations = (
        selectors.organization_list(user=PUBLIC, filters=filters).only(*LIST_FIELDS).order_by("name", "id")
    )
    page = CappedPaginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    for organization in page.object_list:
        organization.grade_label = GRADE_LABELS.get(organization.current_grade, "")
    return render(
        request,
        "orgs/public/organization_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filtered": bool(form.filters()),
            "street_term": form.filters().get("street", ""),
            "street_suggestions": street_suggestions,
            "street_unknown": bool(form.filters().get("street"))
            and "street" not in filters
            and not street_suggestions,
        },
    )


@require_GET
def organization_detail(request, pk):
    organization = selectors.public_organization(pk)  # the public scope, see above
    organization.grade_label = GRADE_LABELS.get(organization.current_grade, "")
    return render(request, "orgs/public/organization_detail.html", {"organization": organization})
