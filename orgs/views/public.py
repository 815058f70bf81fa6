"""The public directory of social organizations (/orgs/): public fields only, for everyone.

Both views read through the public scope (`visible_to(None)`: active and `is_public`)
whoever is logged in: the directory is the public face, not a staff tool, so a staff
member sees exactly what the public sees. Templates show only the public fields;
contact phone, legal representative, staff notes and inspections never reach them.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.scoping import get_visible_or_404
from config.paginator import CappedPaginator
from orgs import selectors
from orgs.forms import DirectoryFilterForm
from orgs.models import GradeAward, Organization, Region

PAGE_SIZE = 20
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
DETAIL_FIELDS = (
    "id",
    "name",
    "short_name",
    "kind",
    "registration",
    "uscc",
    "established_on",
    "registered_on",
    "address",
    "website",
    "description",
    "logo",
    "region__name",
    "region__kind",
    "region__parent__name",
)


def _public_streets() -> list[tuple[str, str]]:
    """Active streets (the divisions are public reference data), in code order."""
    return list(Region.objects.visible_to(None).streets().order_by("code").values_list("code", "name"))


@require_GET
def organization_list(request):
    form = DirectoryFilterForm(request.GET or None, streets=_public_streets())
    organizations = (
        selectors.organization_list(user=None, filters=form.filters())
        .only(*LIST_FIELDS)
        .order_by("name", "id")
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
        },
    )


@require_GET
def organization_detail(request, pk):
    queryset = selectors.with_current_grade(
        Organization.objects.select_related("region", "region__parent").only(*DETAIL_FIELDS)
    )
    organization = get_visible_or_404(queryset, None, pk=pk)  # None: the public scope, see above
    organization.grade_label = GRADE_LABELS.get(organization.current_grade, "")
    return render(request, "orgs/public/organization_detail.html", {"organization": organization})
