"""Review (criteria, score range, conflict of interest, ranking by average) and awards within the pool."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification, Role
from alliances.models import VentureApplication, VentureRound
from alliances.selectors import application_ranking, awarded_total
from alliances.services.awards import application_award, application_decline
from alliances.services.reviews import review_submit
from alliances.services.rounds import round_set_status
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.alliances.factories import make_round, submit
from tests.branches.factories import CoverageLinkFactory, PartyOrganizationFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for errors in error.error_dict.values() for e in errors}


@pytest.fixture
def reviewers(db):
    return [UserFactory(username=f"expert{n}") for n in range(3)]


@pytest.fixture
def setup(regions, reviewers):
    """A round under review with two applications (A, B) from two organizations."""
    venture_round = make_round(status=VentureRound.Status.OPEN, reviewers=reviewers)
    org_a = OrganizationFactory(region=regions.community_a1, name="甲社工")
    org_b = OrganizationFactory(region=regions.community_b1, name="乙社工")
    app_a = submit(venture_round, org_a, title="甲项目", requested_amount=Decimal("8000"))
    app_b = submit(venture_round, org_b, title="乙项目", requested_amount=Decimal("9000"))
    venture_round = round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    criteria = list(venture_round.criteria.all())
    return {
        "round": venture_round,
        "a": app_a,
        "b": app_b,
        "org_a": org_a,
        "org_b": org_b,
        "criteria": criteria,
    }


def score(application, reviewer, criteria, values):
    return review_submit(
        application=application, reviewer=reviewer, scores=dict(zip(criteria, values, strict=True))
    )


def test_review_submit_scores_each_criterion(setup, reviewers):
    review = score(setup["a"], reviewers[0], setup["criteria"], [20, 30])
    assert sorted(s.score for s in review.scores.all()) == [20, 30]


def test_review_submit_score_above_max_refused_naming_criterion(setup, reviewers):
    with pytest.raises(ValidationError) as caught:
        score(setup["a"], reviewers[0], setup["criteria"], [31, 30])
    assert codes(caught.value) == {"score_out_of_range"}
    assert (
        "需求分析" in caught.value.message_dict["scores"][0]
        and "30" in caught.value.message_dict["scores"][0]
    )


def test_review_submit_negative_or_fractional_score_refused(setup, reviewers):
    for bad in (-1, "2.5", "x"):
        with pytest.raises(ValidationError) as caught:
            score(setup["a"], reviewers[0], setup["criteria"], [bad, 10])
        assert codes(caught.value) == {"score_out_of_range"}


def test_review_submit_missing_criterion_refused(setup, reviewers):
    with pytest.raises(ValidationError) as caught:
        review_submit(application=setup["a"], reviewer=reviewers[0], scores={setup["criteria"][0]: 10})
    assert codes(caught.value) == {"score_missing"}


def test_review_submit_not_assigned_reviewer_refused(setup):
    outsider = UserFactory(username="outsider")
    with pytest.raises(ValidationError) as caught:
        score(setup["a"], outsider, setup["criteria"], [10, 10])
    assert codes(caught.value) == {"not_reviewer"}


def test_review_submit_own_organization_refused(setup, reviewers):
    reviewer = reviewers[0]
    reviewer.role = Role.ORG_CONTACT
    reviewer.organization = setup["org_a"]
    reviewer.save()
    with pytest.raises(ValidationError) as caught:
        score(setup["a"], reviewer, setup["criteria"], [10, 10])
    assert codes(caught.value) == {"conflict_of_interest"}
    assert "甲社工" in " ".join(caught.value.messages) and "own organization" in " ".join(
        caught.value.messages
    )
    # the same reviewer may score the other organization
    assert score(setup["b"], reviewer, setup["criteria"], [10, 10]).pk


def test_review_submit_secretary_covering_applicant_refused(setup, reviewers):
    branch = PartyOrganizationFactory(name="甲社工党支部")
    CoverageLinkFactory(party_organization=branch, organization=setup["org_a"])
    reviewer = reviewers[1]
    reviewer.role = Role.SECRETARY
    reviewer.party_organization = branch
    reviewer.save()
    with pytest.raises(ValidationError) as caught:
        score(setup["a"], reviewer, setup["criteria"], [10, 10])
    assert codes(caught.value) == {"conflict_of_interest"}
    assert "甲社工党支部" in " ".join(caught.value.messages)


def test_review_submit_revision_replaces_scores(setup, reviewers):
    score(setup["a"], reviewers[0], setup["criteria"], [10, 10])
    review = score(setup["a"], reviewers[0], setup["criteria"], [25, 35])
    assert sorted(s.score for s in review.scores.all()) == [25, 35]
    assert setup["a"].reviews.count() == 1


def test_review_submit_round_not_reviewing_refused(regions, reviewers):
    venture_round = make_round(reviewers=reviewers)
    application = submit(venture_round, OrganizationFactory(region=regions.community_a1))
    with pytest.raises(ValidationError) as caught:
        score(application, reviewers[0], list(venture_round.criteria.all()), [1, 1])
    assert codes(caught.value) == {"not_reviewing"}


def test_application_ranking_by_average_total(setup, reviewers):
    criteria = setup["criteria"]
    score(setup["a"], reviewers[0], criteria, [20, 30])  # 50
    score(setup["a"], reviewers[1], criteria, [10, 20])  # 30 → average 40
    score(setup["b"], reviewers[0], criteria, [25, 20])  # 45 → average 45
    ranking = list(application_ranking(setup["round"]))
    assert [a.title for a in ranking] == ["乙项目", "甲项目"]
    assert [a.average_total for a in ranking] == [Decimal("45"), Decimal("40")]
    assert [a.review_count for a in ranking] == [1, 2]


def test_application_ranking_unreviewed_last(setup, reviewers):
    score(setup["b"], reviewers[0], setup["criteria"], [1, 1])
    ranking = list(application_ranking(setup["round"]))
    assert [a.title for a in ranking] == ["乙项目", "甲项目"]
    assert ranking[1].average_total is None


# --- Awards -------------------------------------------------------------------------------------


def test_application_award_within_pool(setup):
    application = application_award(application=setup["a"], amount=Decimal("8000"), actor=SYSTEM)
    assert application.status == VentureApplication.Status.AWARDED
    assert awarded_total(setup["round"]) == Decimal("8000")


def test_application_award_above_pool_refused_with_figures(setup):
    venture_round = setup["round"]
    VentureRound.objects.filter(pk=venture_round.pk).update(fund_pool=Decimal("15000"))
    application_award(application=setup["a"], amount=Decimal("8000"), actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        application_award(application=setup["b"], amount=Decimal("9000"), actor=SYSTEM)
    assert codes(caught.value) == {"pool_exceeded"}
    text = " ".join(caught.value.message_dict["awarded_amount"])
    assert "¥17,000.00" in text and "¥15,000.00" in text and "¥7,000.00" in text
    assert awarded_total(venture_round) == Decimal("8000")
    # a smaller award that fits is accepted
    application_award(application=setup["b"], amount=Decimal("7000"), actor=SYSTEM)
    assert awarded_total(venture_round) == Decimal("15000")


def test_application_award_above_request_refused(setup):
    with pytest.raises(ValidationError):
        application_award(application=setup["a"], amount=Decimal("8000.01"), actor=SYSTEM)


def test_application_award_reaward_counts_once(setup):
    VentureRound.objects.filter(pk=setup["round"].pk).update(fund_pool=Decimal("9000"))
    application_award(application=setup["a"], amount=Decimal("8000"), actor=SYSTEM)
    application_award(application=setup["a"], amount=Decimal("9000") - Decimal("1000"), actor=SYSTEM)
    assert awarded_total(setup["round"]) == Decimal("8000")


def test_application_award_by_street_staff_refused(setup, street_staff):
    with pytest.raises(ValidationError) as caught:
        application_award(application=setup["a"], amount=Decimal("100"), actor=street_staff)
    assert codes(caught.value) == {"not_round_manager"}


def test_application_award_by_district_staff_notifies_contact(setup, district_staff):
    contact = UserFactory(username="a_contact", role=Role.ORG_CONTACT, organization=setup["org_a"])
    application_award(application=setup["a"], amount=Decimal("5000"), actor=district_staff)
    assert Notification.objects.filter(recipient=contact, title__contains="甲项目").count() == 1


def test_application_decline_frees_pool(setup):
    application_award(application=setup["a"], amount=Decimal("8000"), actor=SYSTEM)
    application_decline(application=setup["a"], actor=SYSTEM)
    assert awarded_total(setup["round"]) == Decimal(0)


def test_round_set_status_awarded_marks_undecided_not_awarded(setup):
    application_award(application=setup["a"], amount=Decimal("8000"), actor=SYSTEM)
    round_set_status(venture_round=setup["round"], status="awarded", actor=SYSTEM)
    setup["b"].refresh_from_db()
    assert setup["b"].status == VentureApplication.Status.NOT_AWARDED
    with pytest.raises(ValidationError) as caught:
        application_award(application=setup["b"], amount=Decimal("1"), actor=SYSTEM)
    assert codes(caught.value) == {"round_not_reviewing"}
