"""Whether a party organization may recruit: branches' rule (branches.rules.recruitment_refusal).

DOMAIN.md: temporary branches (临时党支部) do not recruit, and a dissolved
organization does nothing. branches owns the rule; the fallback below (the same
two checks) only serves if that module is absent.
"""

from django.utils.translation import gettext as _


def recruit_refusal(po) -> str:
    """Empty when `po` may take applicants and admit members, else the reason."""
    if po is None:
        return ""
    try:
        from branches.rules import recruitment_refusal
    except ImportError:
        recruitment_refusal = None
    if recruitment_refusal is not None:
        return recruitment_refusal(po) or ""
    if po.status != "active":
        return _("%(po)s is dissolved and cannot recruit.") % {"po": po}
    if po.kind == "temporary_branch":
        return _("%(po)s is a temporary branch: temporary branches do not recruit members.") % {"po": po}
    return ""
