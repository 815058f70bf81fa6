"""Every rule of a venture round, checked on submit, refused with a message naming the rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from alliances.models import VentureApplication, VentureRound
from alliances.services.applications import application_withdraw
from tests.actors import SYSTEM
from tests.alliances.factories import lines, make_round, submit
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def refusal(callable_, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return caught.value


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


@pytest.fixture
def org(regions):
    return OrganizationFactory(region=regions.community_a1)


def test_application_submit_valid_writes_application_and_lines(org):
    venture_round = make_round()
    application = submit(venture_round, org)
    assert application.status == VentureApplication.Status.SUBMITTED
    assert sorted(line.amount for line in application.budget_lines.all()) == [Decimal(3000), Decimal(7000)]


def test_application_submit_before_window_refused_with_dates(org):
    today = timezone.localdate()
    venture_round = make_round(opens_on=today + dt.timedelta(days=2), closes_on=today + dt.timedelta(days=9))
    error = refusal(submit, venture_round, org)
    assert codes(error) == {"outside_window"}
    text = messages(error, NON_FIELD_ERRORS)
    assert "Application window" in text and (today + dt.timedelta(days=2)).isoformat() in text


def test_application_submit_round_not_open_refused(org):
    venture_round = make_round(status=VentureRound.Status.DRAFT)
    error = refusal(submit, venture_round, org)
    assert codes(error) == {"round_not_open"}
    assert "not open" in messages(error, NON_FIELD_ERRORS)


def test_application_submit_kind_not_eligible_refused(org):
    venture_round = make_round(eligible_kinds=["social_group"])
    error = refusal(submit, venture_round, org)
    assert codes(error) == {"org_kind_not_eligible"}
    assert "Eligibility" in messages(error, "organization")


def test_application_submit_registration_not_eligible_refused(regions):
    filed = OrganizationFactory(
        region=regions.community_a1, registration="filed", kind="community", uscc=None
    )
    venture_round = make_round(eligible_registrations=["registered"])
    error = refusal(submit, venture_round, filed)
    assert codes(error) == {"org_registration_not_eligible"}


def test_application_submit_org_outside_eligible_region_refused(regions):
    outside = OrganizationFactory(region=regions.community_b1)
    venture_round = make_round(eligible_region=regions.street_a)
    error = refusal(submit, venture_round, outside)
    assert codes(error) == {"org_region_not_eligible"}
    assert regions.street_a.name in messages(error, "organization")


def test_application_submit_inactive_org_refused(regions):
    gone = OrganizationFactory(region=regions.community_a1, status="deregistered")
    error = refusal(submit, make_round(), gone)
    assert "org_not_active" in codes(error)


def test_application_submit_fourth_project_refused_withdrawn_not_counted(org):
    venture_round = make_round()
    first = submit(venture_round, org, title="一")
    submit(venture_round, org, title="二")
    submit(venture_round, org, title="三")
    error = refusal(submit, venture_round, org, title="四")
    assert codes(error) == {"too_many_projects"}
    assert "at most 3" in messages(error, "organization")
    # a withdrawn project frees its place
    application_withdraw(application=first, actor=SYSTEM)
    assert submit(venture_round, org, title="四").pk


def test_application_submit_round_limit_is_per_round(org):
    venture_round = make_round(max_projects_per_org=1)
    submit(venture_round, org, title="一")
    assert codes(refusal(submit, venture_round, org, title="二")) == {"too_many_projects"}


def test_application_submit_staff_share_exceeded_shows_share(org):
    venture_round = make_round()
    error = refusal(submit, venture_round, org, budget_lines=lines(staff="6000", activities="4000"))
    assert codes(error) == {"staff_share_exceeded"}
    text = messages(error, "budget_lines")
    assert "60.0 %" in text and "50.0 %" in text and "¥6,000.00" in text


def test_application_submit_staff_share_at_limit_accepted(org):
    assert submit(make_round(), org, budget_lines=lines(staff="5000", activities="5000")).pk


def test_application_submit_red_round_without_party_element_refused(org):
    venture_round = make_round(kind=VentureRound.Kind.RED)
    error = refusal(submit, venture_round, org, party_building_element="  ")
    assert codes(error) == {"party_building_missing"}
    assert "Red round" in messages(error, "party_building_element")


def test_application_submit_standard_round_without_party_element_accepted(org):
    assert submit(make_round(), org, party_building_element="").pk


def test_application_submit_total_not_sum_of_lines_refused(org):
    error = refusal(
        submit, make_round(), org, total_budget=Decimal("12000"), requested_amount=Decimal("8000")
    )
    assert codes(error) == {"budget_mismatch"}
    text = messages(error, "total_budget")
    assert "¥12,000.00" in text and "¥10,000.00" in text


def test_application_submit_request_above_cap_refused(org):
    venture_round = make_round(max_request_per_project=Decimal("5000"))
    error = refusal(submit, venture_round, org)
    assert codes(error) == {"request_above_cap"}
    assert "¥5,000.00" in messages(error, "requested_amount")


def test_application_submit_request_above_budget_refused(org):
    error = refusal(submit, make_round(), org, requested_amount=Decimal("10001"))
    assert codes(error) == {"request_above_budget"}


def test_application_submit_no_lines_refused(org):
    error = refusal(submit, make_round(), org, budget_lines=[])
    assert codes(error) == {"no_budget_lines"}


def test_application_submit_several_breaches_reported_together(org):
    venture_round = make_round(kind=VentureRound.Kind.RED, max_request_per_project=Decimal("1000"))
    error = refusal(
        submit,
        venture_round,
        org,
        party_building_element="",
        budget_lines=lines(staff="9000", activities="1000"),
    )
    assert codes(error) == {"party_building_missing", "staff_share_exceeded", "request_above_cap"}
    assert not VentureApplication.objects.exists()


def test_application_submit_contact_of_other_org_refused(org, regions, org_contact):
    other = OrganizationFactory(region=regions.community_a2)
    org_contact.organization = other
    org_contact.save()
    error = refusal(submit, make_round(), org, actor=org_contact)
    assert codes(error) == {"not_acting_for"}


def test_application_submit_own_contact_accepted(org, org_contact):
    org_contact.organization = org
    org_contact.save()
    application = submit(make_round(), org, actor=org_contact)
    assert application.submitted_by == org_contact


def test_application_submit_round_requiring_org_coverage_refuses_uncovered_org(regions, org):
    from tests.stats import builders as b

    venture_round = make_round(required_coverage=VentureRound.RequiredCoverage.ORG)
    error = refusal(submit, venture_round, org)
    assert codes(error) == {"org_not_covered"}
    assert "covered by a party organization" in messages(error, "organization")

    # an instructor is work coverage: not enough for this round, enough for an org-or-work round
    b.instructor_assignment(org, dt.date(2020, 1, 1))
    assert codes(refusal(submit, venture_round, org)) == {"org_not_covered"}
    either = make_round(required_coverage=VentureRound.RequiredCoverage.ORG_OR_WORK)
    assert submit(either, org).status == VentureApplication.Status.SUBMITTED


def test_application_submit_round_requiring_org_coverage_accepts_linked_org(regions, org):
    from tests.stats import builders as b

    po = b.party_org(
        "东湖联合支部", mode="joint", region=regions.community_a1, parent=b.committee(regions.district)
    )
    b.link(po, org, dt.date(2020, 1, 1))
    venture_round = make_round(required_coverage=VentureRound.RequiredCoverage.ORG)

    assert submit(venture_round, org).status == VentureApplication.Status.SUBMITTED
