"""Who is responsible for what: the people a reminder goes to, looked up for many objects at once.

Each function answers for a whole job's objects in one or two queries and returns
{object or region id: [users]} (ordered by user id, so deliveries are deterministic).
"""

from collections import defaultdict
from collections.abc import Iterable

from accounts.models import Role, User
from orgs.models import Region


def _grouped(users: Iterable[User], attribute: str) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    for user in users:
        found[getattr(user, attribute)].append(user)
    return dict(found)


def org_contacts(org_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active org-contact accounts of each organization (annual inspections, grades)."""
    users = User.objects.filter(
        role=Role.ORG_CONTACT, is_active=True, organization_id__in=set(org_ids)
    ).order_by("pk")
    return _grouped(users, "organization_id")


def po_secretaries(po_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active secretary accounts (User.party_organization) of each party organization."""
    users = User.objects.filter(
        role=Role.SECRETARY, is_active=True, party_organization_id__in=set(po_ids)
    ).order_by("pk")
    return _grouped(users, "party_organization_id")


def escalation_staff(region_ids: Iterable[int | None]) -> dict[int, list[User]]:
    """The staff an overdue item in each region escalates to: the staff of the region's street, or,
    when that street has none (or the region is a district), the staff of its district.

    Three queries whatever the number of regions: the regions, their districts (tree roots), the staff.
    A community's parent is always a street (Region.PARENT_KIND).
    """
    ids = {pk for pk in region_ids if pk is not None}
    if not ids:
        return {}
    regions = list(Region.objects.filter(pk__in=ids).values("pk", "kind", "parent_id", "tree_id"))
    districts = dict(
        Region.objects.filter(tree_id__in={r["tree_id"] for r in regions}, parent__isnull=True).values_list(
            "tree_id", "pk"
        )
    )
    street_of = {}
    for region in regions:
        if region["kind"] == Region.Kind.STREET:
            street_of[region["pk"]] = region["pk"]
        elif region["kind"] == Region.Kind.COMMUNITY:
            street_of[region["pk"]] = region["parent_id"]
        else:
            street_of[region["pk"]] = None
    scopes = {pk for pk in street_of.values() if pk} | set(districts.values())
    staff = _grouped(
        User.objects.filter(role=Role.STAFF, is_active=True, scope_region_id__in=scopes).order_by("pk"),
        "scope_region_id",
    )
    found = {}
    for region in regions:
        street = street_of[region["pk"]]
        district = districts.get(region["tree_id"])
        found[region["pk"]] = (staff.get(street) if street else None) or (
            staff.get(district, []) if district is not None else []
        )
    return found
