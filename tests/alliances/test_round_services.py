"""Round workflow and rules, criteria and reviewers, milestones and the final evaluation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.actors import PUBLIC
from alliances.models import VentureApplication, VentureRound
from alliances.services.awards import application_award
from alliances.services.milestones import (
    final_evaluation_record,
    milestone_accept,
    milestone_report,
    project_milestone_add,
)
from alliances.services.rounds import (
    criterion_add,
    reviewer_assign,
    round_create,
    round_set_status,
    round_update,
)
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.alliances.factories import district, make_round, submit
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def codes(error):
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_round_create_defaults_from_settings(regions):
    with override_settings(VENTURE_MAX_PROJECTS_PER_ORG=2, VENTURE_MAX_STAFF_COST_SHARE=Decimal("0.4")):
        venture_round = make_round(status="draft")
    assert venture_round.max_projects_per_org == 2 and venture_round.max_staff_cost_share == Decimal("0.4")
    assert make_round(status="draft").max_projects_per_org == 3


def test_round_create_by_street_staff_refused(regions, street_staff):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        round_create(
            actor=street_staff,
            name="街道创投",
            region=regions.street_a,
            opens_on=today,
            closes_on=today,
            fund_pool=Decimal(1000),
        )
    assert codes(caught.value) == {"not_round_manager"}


def test_round_create_by_district_staff_outside_district_refused(district_staff):
    from orgs.services.regions import region_create

    other = region_create(code="330599", name="邻区", kind="district", actor=SYSTEM)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        round_create(
            actor=district_staff, name="邻区创投", region=other, opens_on=today, closes_on=today, fund_pool=1
        )
    assert "region" in caught.value.message_dict


def test_round_create_bad_eligible_kind_refused(regions):
    with pytest.raises(ValidationError) as caught:
        make_round(status="draft", eligible_kinds=["company"])
    assert "eligible_kinds" in caught.value.message_dict


def test_round_update_rules_frozen_once_open(regions):
    venture_round = make_round()
    with pytest.raises(ValidationError) as caught:
        round_update(venture_round=venture_round, actor=SYSTEM, max_staff_cost_share=Decimal("0.9"))
    assert "max_staff_cost_share" in caught.value.message_dict
    later = venture_round.closes_on + dt.timedelta(days=7)
    assert round_update(venture_round=venture_round, actor=SYSTEM, closes_on=later).closes_on == later


def test_round_set_status_skipping_refused_names_next(regions):
    venture_round = make_round(status="draft")
    with pytest.raises(ValidationError) as caught:
        round_set_status(venture_round=venture_round, status="published", actor=SYSTEM)
    assert codes(caught.value) == {"bad_transition"}
    assert "Open for applications" in " ".join(caught.value.messages)


def test_round_set_status_review_needs_criteria_and_reviewers(regions):
    venture_round = make_round(criteria=())
    with pytest.raises(ValidationError) as caught:
        round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    text = " ".join(caught.value.messages)
    assert "criterion" in text and "reviewer" in text


def test_round_set_status_open_after_closing_date_refused(regions):
    today = timezone.localdate()
    venture_round = make_round(
        status="draft", opens_on=today - dt.timedelta(days=9), closes_on=today - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        round_set_status(venture_round=venture_round, status="open", actor=SYSTEM)


def test_criterion_add_after_review_started_refused(regions):
    venture_round = make_round(status="reviewing", reviewers=[UserFactory()])
    with pytest.raises(ValidationError) as caught:
        criterion_add(venture_round=venture_round, name="新标准", max_score=10, actor=SYSTEM)
    assert codes(caught.value) == {"round_frozen"}


def test_reviewer_assign_twice_refused(regions):
    expert = UserFactory()
    venture_round = make_round(reviewers=[expert])
    with pytest.raises(ValidationError):
        reviewer_assign(venture_round=venture_round, reviewer=expert, actor=SYSTEM)


def test_round_published_sets_date(regions):
    venture_round = make_round(status="published", reviewers=[UserFactory()])
    assert venture_round.published_at is not None
    assert VentureRound.objects.visible_to(PUBLIC).get() == venture_round


# --- Milestones and evaluation ------------------------------------------------------------------


@pytest.fixture
def awarded(regions, org_contact):
    org = OrganizationFactory(region=regions.community_a1)
    org_contact.organization = org
    org_contact.save()
    venture_round = make_round(reviewers=[UserFactory()])
    application = submit(venture_round, org)
    round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    application = application_award(application=application, amount=Decimal("8000"), actor=SYSTEM)
    round_set_status(venture_round=venture_round, status="awarded", actor=SYSTEM)
    return application


def test_milestone_flow_report_accept_then_evaluation_completes(awarded, org_contact, district_staff):
    milestone = project_milestone_add(
        application=awarded, title="中期", due_on=dt.date(2030, 6, 30), actor=district_staff
    )
    with pytest.raises(ValidationError):  # nothing reported yet
        milestone_accept(milestone=milestone, actor=district_staff)
    with pytest.raises(ValidationError):  # not all milestones accepted
        final_evaluation_record(
            application=awarded, score=90, text="好", evaluated_on=timezone.localdate(), actor=district_staff
        )
    milestone_report(milestone=milestone, report="已完成", actor=org_contact)
    milestone_accept(milestone=milestone, actor=district_staff, note="通过")
    with pytest.raises(ValidationError):  # accepted: the report is final
        milestone_report(milestone=milestone, report="改", actor=org_contact)
    evaluation = final_evaluation_record(
        application=awarded, score=90, text="好", evaluated_on=timezone.localdate(), actor=district_staff
    )
    assert evaluation.score == 90
    assert VentureApplication.objects.get(pk=awarded.pk).status == VentureApplication.Status.COMPLETED


def test_milestone_report_by_street_staff_refused(awarded, street_staff):
    milestone = project_milestone_add(
        application=awarded, title="中期", due_on=dt.date(2030, 6, 30), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as caught:
        milestone_report(milestone=milestone, report="代报", actor=street_staff)
    assert codes(caught.value) == {"not_acting_for"}


def test_final_evaluation_score_out_of_range_refused(awarded):
    with pytest.raises(ValidationError) as caught:
        final_evaluation_record(
            application=awarded, score=101, text="x", evaluated_on=timezone.localdate(), actor=SYSTEM
        )
    assert "100" in " ".join(caught.value.message_dict["score"])


def test_milestone_on_not_awarded_refused(regions):
    venture_round = make_round()
    application = submit(venture_round, OrganizationFactory(region=regions.community_a1))
    with pytest.raises(ValidationError) as caught:
        project_milestone_add(application=application, title="x", due_on=dt.date(2030, 1, 1), actor=SYSTEM)
    assert codes(caught.value) == {"not_awarded"}


def test_round_region_district_default(regions):
    assert make_round(status="draft").region == district()
