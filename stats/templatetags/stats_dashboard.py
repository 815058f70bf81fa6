from django import template
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from stats.dashboard.context import dashboard_context
from stats.dashboard.scope import dashboard_region, is_dashboard_user

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_json(context, value, element_id: str):
    """json_script with the CSP nonce: a data block the browser never runs, marked so that the
    platform's "no inline block without a nonce" rule holds for it too."""
    html = json_script(value, element_id)
    nonce = context.get("csp_nonce")
    if nonce is None:  # no CSP middleware (LazyNonce is falsy until first used: test for None)
        return html
    return mark_safe(
        html.replace("<script ", f'<script nonce="{nonce}" ', 1)
    )  # the nonce is a URL-safe token


@register.inclusion_tag("stats/dashboard/_panels.html", takes_context=True)
def coverage_dashboard(context):
    """The dashboard panels on the admin home, for the region in ?region= (default: the user's scope)."""
    request = context["request"]
    base = {"request": request, "csp_nonce": context.get("csp_nonce"), "in_admin": True}
    if not is_dashboard_user(request.user):
        return base | {"hidden": True}
    region = dashboard_region(request.user, request.GET.get("region"))
    return base | dashboard_context(request.user, region)
