"""`{{ amount|yuan }}`: an amount of money as ¥1,234.50, the way the rule messages write it."""

from decimal import Decimal

from django import template

from alliances.rules import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(amount: Decimal | int | str | None) -> str:
    if amount is None or amount == "":
        return "—"
    return format_yuan(Decimal(amount))
