"""Portal: 三会一课 compliance of the party organizations in the user's scope, for one year."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.paginator import CappedPaginator
from config.requests import AuthenticatedHttpRequest
from events import selectors
from events.compliance import compliance_table, periods_in_year, requirements

PAGE_SIZE = 30


@login_required
@require_GET
def compliance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Secretaries see their own subtree; staff every branch inside their region (paged)."""
    user = request.user
    if not (user.role == "secretary" or user.is_platform_staff):
        raise Http404(_("Meeting compliance is shown to party organizations' secretaries and to staff."))
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    pos = selectors.compliance_party_organizations_for(user)
    page = CappedPaginator(pos, PAGE_SIZE).get_page(request.GET.get("page"))
    table = compliance_table(list(page), year, today=today)
    return render(
        request,
        "events/portal/compliance.html",
        {
            "page": page,
            "table": table,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "requirements": requirements(),
            "months": periods_in_year("month", year),
            "detailed": len(table) <= 3,
        },
    )
