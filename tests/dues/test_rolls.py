from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues.actors import ROLL_JOB
from dues.models import DuesLine, DuesRoll
from dues.services.rolls import dues_rolls_generate
from dues.tasks import dues_rolls_generate_task
from tests.dues.factories import TEST_ACTOR, base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
JAN = date(2025, 1, 1)


def test_roll_job_run_twice_one_roll_one_line_per_member(pos):
    # given two paying members of branch A, one with a base
    priced = MemberFactory(party_organization=pos.branch_a)
    base_for(priced, income="3000")
    MemberFactory(party_organization=pos.branch_a)
    # when the job runs twice for the same month
    first = dues_rolls_generate_task("2025-01-01")
    second = dues_rolls_generate_task("2025-01-01")
    # then one roll, two lines, the second run created nothing
    assert (first, second) == (1, 0)
    assert DuesRoll.objects.filter(party_organization=pos.branch_a, month=JAN).count() == 1
    lines = {line.member_id: line for line in DuesLine.objects.filter(roll__party_organization=pos.branch_a)}
    assert len(lines) == 2
    assert lines[priced.pk].amount_due == Decimal("15.00")


def test_roll_job_skips_temporary_branch_and_non_paying_stages(pos):
    MemberFactory(party_organization=pos.temporary)
    MemberFactory(party_organization=pos.branch_a, stage="candidate", admitted_on=None, full_on=None)
    dues_rolls_generate(month=JAN, actor=ROLL_JOB)
    assert not DuesRoll.objects.exists()


def test_roll_for_temporary_branch_refused(pos):
    with pytest.raises(ValidationError) as caught:
        dues_rolls_generate(month=JAN, actor=TEST_ACTOR, party_organization=pos.temporary)
    assert "party_organization" in caught.value.message_dict


def test_roll_line_priced_when_base_recorded_later(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    roll = roll_for(pos.branch_a)
    assert roll.lines.get().amount_due is None
    base_for(member, category="student", income=None)
    assert roll.lines.get().amount_due == Decimal("0.20")


def test_roll_uses_base_valid_in_its_month(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    base_for(member, income="3000", valid_from=date(2025, 1, 1))
    base_for(member, income="6000", valid_from=date(2025, 3, 1))  # recorded after, any order works
    dues_rolls_generate(month=date(2025, 2, 1), actor=ROLL_JOB)
    dues_rolls_generate(month=date(2025, 3, 1), actor=ROLL_JOB)
    due = dict(DuesLine.objects.values_list("roll__month", "amount_due"))
    assert due == {date(2025, 2, 1): Decimal("15.00"), date(2025, 3, 1): Decimal("90.00")}


def test_roll_future_month_refused(pos):
    with pytest.raises(ValidationError):
        dues_rolls_generate(month=date(2999, 1, 1), actor=ROLL_JOB)


def test_dues_service_none_actor_refused(pos):
    with pytest.raises(TypeError):
        dues_rolls_generate(month=JAN, actor=None)  # type: ignore[arg-type]  # None is refused: what this test shows


def test_roll_secretary_of_other_branch_refused(pos, secretary_b):
    with pytest.raises(ValidationError):
        dues_rolls_generate(month=JAN, actor=secretary_b, party_organization=pos.branch_a)
