"""The result's arithmetic and stored form, against their plain definitions."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stats.coverage.result import ITEM_COLUMNS, OrgItem, ratio


def test_ratio_is_decimal_half_up_to_four_places_for_every_small_fraction():
    for whole in range(1, 400):
        for part in range(whole + 1):
            expected = float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
            assert ratio(part, whole) == expected, (part, whole)
    assert ratio(1, 20000) == 0.0001  # exactly half a unit rounds up
    assert ratio(3, 0) is None


def test_org_item_made_without_init_equals_the_dataclass_one():
    values: dict[str, Any] = {
        "id": 7,
        "name": "七号",
        "street": "东湖街道",
        "street_code": "330499001",
        "kind": "social_group",
        "registration": "registered",
        "management_mode": "territorial",
        "staff_count": 31,
        "full_members": 3,
        "coverage": "joint",
        "work_covered": False,
        "evidence": ("full_members",),
        "declared_year": 2024,
        "declared_po": True,
        "declared_members": 4,
    }
    fast, plain = OrgItem.of(values), OrgItem(**values)
    assert fast == plain and hash(fast) == hash(plain)
    assert fast.as_row() == [values[name] for name in ITEM_COLUMNS]
    assert OrgItem.from_dict(dict(zip(ITEM_COLUMNS, plain.as_row(), strict=True))) == plain
