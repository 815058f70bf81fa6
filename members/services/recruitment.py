"""Whether a party organization may recruit: branches' rule when it exists, else the temporary-branch rule.

DOMAIN.md: temporary branches (临时党支部) do not recruit. branches.rules owns the
rule (`can_recruit(po)`); until it is written this falls back to the same check.
"""

from django.utils.translation import gettext as _

TEMPORARY_BRANCH = "temporary_branch"


def _can_recruit(po) -> bool:
    try:
        from branches.rules import can_recruit
    except ImportError:
        return po.kind != TEMPORARY_BRANCH
    return bool(can_recruit(po))


def recruit_refusal(po) -> str:
    """Empty when `po` may take applicants and admit members, else the reason."""
    if po is None or _can_recruit(po):
        return ""
    if po.kind == TEMPORARY_BRANCH:
        return _("%(po)s is a temporary branch; temporary branches do not recruit members.") % {"po": po}
    return _("%(po)s may not recruit members.") % {"po": po}
