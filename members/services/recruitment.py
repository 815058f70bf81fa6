"""Whether a party organization may recruit: branches' rule (branches.rules.recruitment_refusal).

DOMAIN.md: temporary branches (临时党支部) do not recruit, and a dissolved organization does nothing.
"""

from typing import TYPE_CHECKING

from branches.rules import recruitment_refusal

if TYPE_CHECKING:
    from branches.models import PartyOrganization


def recruit_refusal(po: "PartyOrganization | None") -> str:
    """Empty when `po` may take applicants and admit members, else the reason."""
    if po is None:
        return ""
    return recruitment_refusal(po) or ""
