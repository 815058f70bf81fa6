"""Dues test helpers: bases and rolls through dues.services as a named system actor."""

from datetime import date
from decimal import Decimal

from dues.actors import SystemActor
from dues.services.bases import dues_base_set
from dues.services.rolls import dues_rolls_generate

TEST_ACTOR = SystemActor("tests")


def base_for(member, category="income", income="4000", valid_from=date(2025, 1, 1), pledged=None):
    return dues_base_set(
        member=member,
        category=category,
        monthly_income=Decimal(income) if income is not None else None,
        pledged_amount=Decimal(pledged) if pledged is not None else None,
        valid_from=valid_from,
        actor=TEST_ACTOR,
    )


def roll_for(po, month=date(2025, 1, 1)):
    dues_rolls_generate(month=month, actor=TEST_ACTOR, party_organization=po)
    return po.dues_rolls.get(month=month)
