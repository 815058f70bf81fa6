"""Writes to the Region tree: always through these services, under the tree lock."""

from django.db import transaction

from orgs.models import Region
from orgs.tree_locks import NEW_TREE, tree_lock


def region_create(*, code: str, name: str, kind: str, parent: Region | None = None) -> Region:
    """Insert a division; the district's tree (or, for a new district, the tree set) is locked."""
    region = Region(code=(code or "").strip(), name=(name or "").strip(), kind=kind, parent=parent)
    region.full_clean()
    lock_on = parent.tree_id if parent is not None else NEW_TREE
    with tree_lock(Region, lock_on):
        if parent is not None:
            # Re-read the parent inside the lock: its lft/rght may have shifted.
            region.parent = Region.objects.get(pk=parent.pk)
        region.save()
    return region


@transaction.atomic
def region_update(*, region: Region, name: str | None = None, is_active: bool | None = None) -> Region:
    """Rename or (de)activate; the code and place in the tree change only through region_move."""
    if name is not None:
        region.name = name.strip()
    if is_active is not None:
        region.is_active = is_active
    region.full_clean()
    region.save(update_fields=["name", "is_active"])
    return region


def region_move(*, region: Region, new_parent: Region, new_code: str) -> Region:
    """Move a community to another street (or a street to another district), recoding it.

    The code must follow the new parent's, so a move always comes with the new code.
    Both trees are locked (ascending order) when the move crosses districts.
    """
    with tree_lock(Region, region.tree_id, new_parent.tree_id):
        region = Region.objects.get(pk=region.pk)
        new_parent = Region.objects.get(pk=new_parent.pk)
        region.parent = new_parent
        region.code = (new_code or "").strip()
        region.full_clean()
        region.save()
    return Region.objects.get(pk=region.pk)
