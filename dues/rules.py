"""The 2008 rules (DOMAIN.md), read from settings.DUES: the monthly amount for a base.

The rate of the base's band applies to the WHOLE base (not progressively), and the product is
rounded to the fen half up (四舍五入): 1235 × 0.5 % = 6.175 → 6.18. Students and people on relief
pay a fixed amount. A member's pledge (pay more) replaces the computed amount when it is higher.
"""

from decimal import ROUND_HALF_UP, Decimal

from dues.conf import dues_setting

FEN = Decimal("0.01")


def rate_for(category: str, base: Decimal) -> Decimal:
    bands = dues_setting("RETIRED_BANDS" if category == "retired" else "INCOME_BANDS")
    for upper, rate in bands:
        if upper is None or base <= upper:
            return rate
    raise ValueError("the last band must have no upper bound")


def rule_amount(category: str, base: Decimal | None) -> Decimal:
    """The monthly amount the rules ask for this category and base (yuan, to the fen)."""
    fixed = dues_setting("FIXED_AMOUNTS")
    if category in fixed:
        return Decimal(fixed[category]).quantize(FEN, rounding=ROUND_HALF_UP)
    if base is None or base < 0:
        raise ValueError("income and pension categories need a base of at least 0")
    return (base * rate_for(category, base)).quantize(FEN, rounding=ROUND_HALF_UP)


def amount_due(category: str, base: Decimal | None, pledged: Decimal | None = None) -> Decimal:
    """What a roll asks for: the rule's amount, or the member's higher pledge."""
    amount = rule_amount(category, base)
    if pledged is not None and pledged > amount:
        return pledged.quantize(FEN, rounding=ROUND_HALF_UP)
    return amount
