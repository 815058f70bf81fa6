"""Reviewers score applications on the round's criteria. A reviewer never scores their own organization."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from alliances.models import (
    Review,
    ReviewCriterion,
    ReviewScore,
    RoundReviewer,
    VentureApplication,
    VentureRound,
)
from alliances.querysets import covered_org_ids
from alliances.services.actors import refusal
from orgs.models import Organization


def conflict_of_interest(reviewer: User, organization: Organization) -> str | None:
    """Why `reviewer` may not score an application of `organization`, or None.

    Their own organization (the account's organization, as its contact or otherwise), or one
    that the party organization they are secretary of (or a node under it) covers.
    """
    if reviewer.organization_id == organization.pk:
        return _(
            "You cannot score “%(org)s”: it is your own organization (your account is linked to it)."
        ) % {"org": organization}
    if (
        reviewer.party_organization_id
        and covered_org_ids(reviewer).filter(organization_id=organization.pk).exists()
    ):
        return _(
            "You cannot score “%(org)s”: the party organization you are secretary of (%(po)s) covers it."
        ) % {"org": organization, "po": reviewer.party_organization}
    return None


def conflicting_org_ids(reviewer: User) -> set[int]:
    """Every organization `reviewer` may not score (see `conflict_of_interest`), in one query."""
    ids = {reviewer.organization_id} if reviewer.organization_id else set()
    if reviewer.party_organization_id:
        ids |= set(covered_org_ids(reviewer).values_list("organization_id", flat=True))
    return ids


def _clean_scores(criteria: list[ReviewCriterion], scores: dict) -> dict[int, int]:
    """Scores keyed by criterion id (or criterion); each criterion once, each within 0…max."""
    by_id = {getattr(key, "pk", key): value for key, value in scores.items()}
    known = {c.pk for c in criteria}
    errors = []
    unknown = set(by_id) - known
    if unknown:
        errors.append(ValidationError(_("Score only this round's criteria."), code="unknown_criterion"))
    cleaned = {}
    for criterion in criteria:
        value = by_id.get(criterion.pk)
        if value is None or value == "":
            errors.append(
                ValidationError(
                    _("Give a score for “%(criterion)s” (0 to %(max)d).")
                    % {"criterion": criterion.name, "max": criterion.max_score},
                    code="score_missing",
                )
            )
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or str(number) != str(value).strip() or not 0 <= number <= criterion.max_score:
            errors.append(
                ValidationError(
                    _(
                        "The score for “%(criterion)s” must be a whole number from 0 to %(max)d; "
                        "%(value)s is out of range."
                    )
                    % {"criterion": criterion.name, "max": criterion.max_score, "value": value},
                    code="score_out_of_range",
                )
            )
            continue
        cleaned[criterion.pk] = number
    if errors:
        raise ValidationError({"scores": errors})
    return cleaned


@transaction.atomic
def review_submit(
    *, application: VentureApplication, reviewer: User, scores: dict, comment: str = ""
) -> Review:
    """File (or revise, while review lasts) `reviewer`'s scores for `application`."""
    application = VentureApplication.objects.select_related("round", "organization").get(pk=application.pk)
    venture_round = application.round
    if not RoundReviewer.objects.filter(round=venture_round, reviewer=reviewer).exists():
        raise refusal(
            _("You are not a reviewer of the round “%(round)s”.") % {"round": venture_round}, "not_reviewer"
        )
    conflict = conflict_of_interest(reviewer, application.organization)
    if conflict:
        raise refusal(conflict, "conflict_of_interest")
    if venture_round.status != VentureRound.Status.REVIEWING:
        raise refusal(
            _("Scores are taken while the round is under review; it is “%(status)s”.")
            % {"status": venture_round.get_status_display()},
            "not_reviewing",
        )
    if application.status != VentureApplication.Status.SUBMITTED:
        raise refusal(
            _("This application is “%(status)s” and is not scored.")
            % {"status": application.get_status_display()},
            "not_submitted",
        )
    cleaned = _clean_scores(list(venture_round.criteria.all()), scores)
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, reviewer=reviewer, defaults={"comment": (comment or "").strip()}
    )
    review.comment = (comment or "").strip()
    review.save()
    review.scores.all().delete()
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion_id=pk, score=value) for pk, value in cleaned.items()]
    )
    return review
