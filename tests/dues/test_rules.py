"""The 2008 amounts, worked by hand: rate of the base's band on the whole base, rounded to the fen half up."""

from decimal import Decimal

import pytest

from dues.rules import amount_due, rule_amount


@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        ("income", "0", "0.00"),
        ("income", "2999.99", "15.00"),  # 2999.99 × 0.5 % = 14.99995 → 15.00
        ("income", "3000", "15.00"),  # 3000 × 0.5 %, the band's upper edge
        ("income", "3000.01", "30.00"),  # next band: 3000.01 × 1 % = 30.0001 → 30.00
        ("income", "5000", "50.00"),  # 5000 × 1 %
        ("income", "5000.01", "75.00"),  # 5000.01 × 1.5 % = 75.00015 → 75.00
        ("income", "10000", "150.00"),  # 10000 × 1.5 %
        ("income", "10000.01", "200.00"),  # 10000.01 × 2 % = 200.0002 → 200.00
        ("income", "1235", "6.18"),  # 6.175: half up → 6.18
        ("income", "1234.50", "6.17"),  # 6.1725 → 6.17
        ("retired", "5000", "25.00"),  # 5000 × 0.5 %
        ("retired", "5000.01", "50.00"),  # 5000.01 × 1 % = 50.0001 → 50.00
        ("retired", "12000", "120.00"),
        ("student", None, "0.20"),
        ("relief", None, "0.20"),
    ],
)
def test_rule_amount_band_edges_hand_worked(category, base, expected):
    assert rule_amount(category, Decimal(base) if base is not None else None) == Decimal(expected)


def test_amount_due_higher_pledge_replaces_rule_amount():
    assert amount_due("income", Decimal("3000"), Decimal("20")) == Decimal("20.00")
    assert amount_due("income", Decimal("3000"), Decimal("10")) == Decimal("15.00")


def test_rule_amount_bands_read_from_settings(settings):
    settings.DUES = {**settings.DUES, "FIXED_AMOUNTS": {"student": Decimal("0.5"), "relief": Decimal("0.2")}}
    assert rule_amount("student", None) == Decimal("0.50")
