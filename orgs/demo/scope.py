"""Where the demo lives: the demo district's subtree and the demo committee's party tree.

Every demo seeder reads and writes only through these, so a platform in real use is never
touched outside the demo district (issue 14: seed_demo runs on every `make run`).
"""

from django.db.models import Q

from accounts.models import User
from branches.models import PartyOrganization
from orgs.models import Region

DISTRICT_CODE = "330499"
COMMITTEE_NAME = "示范区社会组织综合党委"


def demo_district():
    return Region.objects.filter(code=DISTRICT_CODE, parent__isnull=True).first()


def demo_committee(district=None):
    """The demo's comprehensive committee: the root of its own party tree, placed in the demo district."""
    district = district or demo_district()
    if district is None:
        return None
    return PartyOrganization.objects.filter(name=COMMITTEE_NAME, parent__isnull=True, region=district).first()


def demo_tree_q(committee, prefix: str = "") -> Q:
    """Q for "inside the demo committee's party tree" (`prefix` leads to the PartyOrganization)."""
    if committee is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}tree_id": committee.tree_id})


def demo_secretary_branch(committee) -> PartyOrganization | None:
    """The demo secretary's branch when there is one (the demo login then sees what is seeded there),
    else the demo tree's first active branch."""
    po_id = (
        User.objects.filter(username="secretary", party_organization__tree_id=committee.tree_id)
        .values_list("party_organization_id", flat=True)
        .first()
    )
    branches = PartyOrganization.objects.filter(
        demo_tree_q(committee), status="active", kind__in=("branch", "joint_branch")
    )
    return branches.filter(pk=po_id).first() or branches.order_by("lft").first()
