"""`{{ amount|yuan }}`: an amount of money as ¥1,234.50, the way the rule messages write it."""

from django import template

from alliances.rules import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(amount) -> str:
    if amount is None or amount == "":
        return "—"
    return format_yuan(amount)
