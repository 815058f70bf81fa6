"""Public pages (/alliances/): alliances with their members, programs and pairings, and the
results of published venture rounds.

Read through the public scope (`visible_to(PUBLIC)`) whoever is logged in. Only public fields
are loaded: no contact phone, no reviewer, no per-reviewer score, no budget line.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliances import selectors


@require_GET
def alliance_list(request: HttpRequest) -> HttpResponse:
    context = {
        "alliances": selectors.public_alliances(),
        "rounds": selectors.public_rounds(),
    }
    return render(request, "alliances/public/alliance_list.html", context)


@require_GET
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "alliances/public/alliance_detail.html", {"alliance": selectors.public_alliance(pk)}
    )


@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    venture_round = selectors.public_round(pk)
    results = selectors.public_round_results(venture_round)
    context = {
        "round": venture_round,
        "results": results,
        "awarded_total": sum((r.awarded_amount or 0 for r in results), 0),
    }
    return render(request, "alliances/public/round_results.html", context)
