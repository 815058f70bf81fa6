"""Payments, corrections and arrears across a year (hand-worked)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues.models import DuesEntry, DuesLine
from dues.selectors import arrears
from dues.services.payments import dues_entry_correct, dues_payment_record
from dues.services.rolls import dues_rolls_generate
from members.models import Member
from tests.dues.factories import TEST_ACTOR, base_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _year(member, po):
    base_for(member, income="3000")  # 15.00 a month
    for month in range(1, 13):
        dues_rolls_generate(month=date(2025, month, 1), actor=TEST_ACTOR, party_organization=po)
    return {
        line.roll.month.month: line for line in DuesLine.objects.filter(member=member).select_related("roll")
    }


def _pay(line, amount="15.00", on=None):
    return dues_payment_record(
        line=line, amount=Decimal(amount), paid_on=on or line.roll.month.replace(day=10), actor=TEST_ACTOR
    )


def test_arrears_across_a_year_months_streak_and_amount(pos):
    # given a year of rolls at 15.00; January–June paid, September paid, the rest not
    member = MemberFactory(party_organization=pos.branch_a)
    lines = _year(member, pos.branch_a)
    for month in (1, 2, 3, 4, 5, 6, 9):
        _pay(lines[month])
    # when arrears are read up to December
    (owing,) = arrears(members=Member.objects.all(), until=date(2025, 12, 1))
    # then July, August, October, November, December are owed; three in a row since September
    assert [m.month for m in owing.months] == [7, 8, 10, 11, 12]
    assert owing.months_owed == 5 and owing.streak == 3
    assert owing.amount == Decimal("75.00")
    # and up to October only two months count
    (until_october,) = arrears(members=Member.objects.all(), until=date(2025, 10, 1))
    assert until_october.months_owed == 3 and until_october.streak == 1


def test_arrears_partial_payment_counts_as_owed(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    lines = _year(member, pos.branch_a)
    for month in range(1, 13):
        _pay(lines[month], "10.00" if month == 12 else "15.00")
    (owing,) = arrears(members=Member.objects.all(), until=date(2025, 12, 1))
    assert owing.months_owed == 1 and owing.amount == Decimal("5.00")


def test_correction_is_a_new_entry_and_reopens_the_month(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    lines = _year(member, pos.branch_a)
    for month in range(1, 13):
        _pay(lines[month])
    payment = lines[9].entries.get()
    # when September's payment is taken back (recorded by mistake)
    correction = dues_entry_correct(
        entry=payment,
        amount=Decimal("-15.00"),
        note="recorded twice",
        actor=TEST_ACTOR,
        paid_on=date(2025, 12, 1),
    )
    # then the payment is unchanged, a correction names it, and September is owed again
    payment.refresh_from_db()
    assert payment.amount == Decimal("15.00") and correction.corrects == payment
    assert DuesEntry.objects.filter(line=lines[9]).count() == 2
    (owing,) = arrears(members=Member.objects.all(), until=date(2025, 12, 1))
    assert [m.month for m in owing.months] == [9] and owing.streak == 0  # October–December were paid


def test_correction_below_zero_refused_naming_amount(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    lines = _year(member, pos.branch_a)
    payment = _pay(lines[1])
    with pytest.raises(ValidationError) as caught:
        dues_entry_correct(entry=payment, amount=Decimal("-20"), note="x", actor=TEST_ACTOR)
    assert "amount" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        dues_entry_correct(entry=payment, amount=Decimal("-5"), note=" ", actor=TEST_ACTOR)
    assert "note" in caught.value.message_dict


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [
        ("0", date(2025, 1, 10), "amount"),
        ("-1", date(2025, 1, 10), "amount"),
        ("1.005", date(2025, 1, 10), "amount"),
        ("15", date(2999, 1, 1), "paid_on"),
        ("15", date(2001, 1, 1), "paid_on"),
    ],
)
def test_payment_bad_input_refused_naming_field(pos, amount, paid_on, field):
    member = MemberFactory(party_organization=pos.branch_a)
    line = _year(member, pos.branch_a)[1]
    with pytest.raises(ValidationError) as caught:
        dues_payment_record(line=line, amount=Decimal(amount), paid_on=paid_on, actor=TEST_ACTOR)
    assert field in caught.value.message_dict
    assert not DuesEntry.objects.exists()


def test_payment_line_without_base_refused(pos):
    MemberFactory(party_organization=pos.branch_a)
    dues_rolls_generate(month=date(2025, 1, 1), actor=TEST_ACTOR, party_organization=pos.branch_a)
    with pytest.raises(ValidationError):
        dues_payment_record(
            line=DuesLine.objects.get(), amount=Decimal(1), paid_on=date(2025, 1, 2), actor=TEST_ACTOR
        )


def test_payment_by_other_branch_secretary_refused(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    line = _year(member, pos.branch_a)[1]
    with pytest.raises(ValidationError):
        dues_payment_record(line=line, amount=Decimal(15), paid_on=date(2025, 1, 2), actor=secretary_b)


def test_base_pledge_below_rule_amount_refused_naming_field(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        base_for(member, income="3000", pledged="10")
    assert "pledged_amount" in caught.value.message_dict


@pytest.mark.parametrize(
    ("category", "income", "field"),
    [
        ("income", None, "monthly_income"),
        ("student", "100", "monthly_income"),
        ("income", "-1", "monthly_income"),
    ],
)
def test_base_bad_input_refused_naming_field(pos, category, income, field):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        base_for(member, category=category, income=income)
    assert field in caught.value.message_dict
