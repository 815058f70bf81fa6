"""Reviewers' pages (/portal/alliances/reviews/): score the applications of the rounds one reviews.

A reviewer reaches applications through `for_reviewer` (rounds they are assigned to), not
through `visible_to`: a reviewer is often an outside expert with no other role. Applications
of their own organization are listed with the reason they cannot be scored.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alliances.forms import ReviewForm
from alliances.models import Review, RoundReviewer, VentureApplication, VentureRound
from alliances.selectors import application_for_review, applications_to_review, review_by
from alliances.services.reviews import conflict_of_interest, conflicting_org_ids, review_submit
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors


@login_required
@require_GET
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    rounds = list(
        VentureRound.objects.filter(reviewer_links__reviewer=user)
        .exclude(status=VentureRound.Status.DRAFT)
        .order_by("-opens_on", "pk")
    )
    applications = list(applications_to_review(user, rounds))
    reviewed = set(Review.objects.filter(reviewer=user).values_list("application_id", flat=True))
    conflicts = conflicting_org_ids(user)
    by_round: dict[int, list[VentureApplication]] = {r.pk: [] for r in rounds}
    for application in applications:
        application.my_review_done = application.pk in reviewed
        application.conflict = application.organization_id in conflicts
        by_round[application.round_id].append(application)
    groups = [{"round": r, "applications": by_round[r.pk]} for r in rounds]
    return render(request, "alliances/portal/review_list.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def review_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = application_for_review(user, pk)
    if (
        application is None
        or not RoundReviewer.objects.filter(round=application.round, reviewer=user).exists()
    ):
        raise Http404
    criteria = list(application.round.criteria.all())
    review = review_by(user, application)
    initial = {s.criterion_id: s.score for s in review.scores.all()} if review else {}
    conflict = conflict_of_interest(user, application.organization)
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                review_submit(
                    application=application,
                    reviewer=user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your scores for “%(title)s” were saved.") % {"title": application.title}
                )
                return redirect("alliances_portal:reviews")
        status = 400
    else:
        form = ReviewForm(
            criteria=criteria, initial_scores=initial, initial={"comment": review.comment if review else ""}
        )
        status = 200
    context = {
        "application": application,
        "form": form,
        "conflict": conflict,
        "open_for_scores": application.round.status == VentureRound.Status.REVIEWING,
    }
    return render(request, "alliances/portal/review_form.html", context, status=status)
