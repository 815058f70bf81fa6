"""Writes to the Region tree: always through these services, under the tree lock.

Each district is the root of its own MPTT tree, so a write locks one district
(`tree_lock_for`); creating a district locks the set of trees (`NEW_TREE`) and
appends it as the last tree, so no other district's rows are touched.

`actor` (a user or a SystemActor, never None) must be allowed to see the node written (and its parent):
staff write inside their own subtree only, and only a superuser creates districts.
"""

from auditlog.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from accounts.scoping import ensure_visible
from orgs.models import Region
from orgs.tree_locks import tree_lock_for


def _check_actor_may_write(
    actor: Actor, *, region: Region | None = None, parent: Region | None = None
) -> None:
    """Refuse writing a node, or linking to a parent, outside the actor's scope (a SystemActor: anywhere)."""
    if is_unrestricted(actor):
        return
    if region is None and parent is None:
        message = _("Only a superuser may create a district (a division with no parent).")
        raise ValidationError({"parent": ValidationError(message, code="superuser_only")})
    ensure_visible(region, actor, field_label=NON_FIELD_ERRORS)
    ensure_visible(parent, actor, field_label="parent")


def region_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Region | None = None,
    is_active: bool = True,
    actor: Actor,
) -> Region:
    """Insert a division; the parent's tree (or, for a new district, the set of trees) is locked.

    Validation runs inside the lock, on the parent as it is in the database, so
    two concurrent writers cannot both pass the unique-code check.
    """
    _check_actor_may_write(actor, region=None, parent=parent)
    with tree_lock_for(Region, parent, new_tree=parent is None):
        fresh_parent = Region.objects.get(pk=parent.pk) if parent is not None else None
        region = Region(
            code=(code or "").strip(),
            name=(name or "").strip(),
            kind=kind,
            parent=fresh_parent,
            is_active=is_active,
        )
        region.full_clean()
        if fresh_parent is None:
            # Append as the last tree. MPTT's ordered insertion of roots (order_insertion_by)
            # would renumber the tree_id of every later district instead.
            Region._tree_manager.insert_node(region, None, allow_existing_pk=True)
        region.save()
    if parent is not None:
        # The caller's parent instance now has stale bounds (the insert widened it): refresh them,
        # or MPTT helpers such as get_children() on it would answer from the old values.
        parent.refresh_from_db(fields=["lft", "rght", "tree_id", "level"])
    return region


def region_update(
    *, region: Region, name: str | None = None, is_active: bool | None = None, actor: Actor
) -> Region:
    """Rename or (de)activate; the code and place in the tree change only through region_move.

    Deactivating a division deactivates its whole subtree (a community of a
    dissolved street is not active either); activating one needs an active parent
    and activates that division only.
    """
    _check_actor_may_write(actor, region=region)
    with tree_lock_for(Region, region):
        current = Region.objects.select_related("parent").get(pk=region.pk)
        if name is not None and name.strip() != current.name:
            current.name = name.strip()
            current.full_clean()
            current.save(update_fields=["name"])
        if is_active is not None and is_active != current.is_active:
            _set_active(current, is_active)
    region.refresh_from_db()
    return region


def region_activation_error(region: Region) -> str | None:
    """Why `region` cannot be activated now (its parent is inactive), or None."""
    parent = Region.objects.filter(pk=region.parent_id).first() if region.parent_id else None
    if parent is not None and not parent.is_active:
        return _(
            "%(region)s cannot be activated while its parent %(parent)s is inactive; "
            "activate %(parent)s first."
        ) % {"region": region, "parent": parent}
    return None


def _set_active(region: Region, is_active: bool) -> None:
    if is_active:
        error = region_activation_error(region)
        if error:
            raise ValidationError({"is_active": ValidationError(error, code="parent_inactive")})
        region.is_active = True
        region.save(update_fields=["is_active"])
        return
    for node in region.get_descendants(include_self=True).filter(is_active=True):
        node.is_active = False
        node.save(update_fields=["is_active"])  # one row each, so the audit log records every one


def region_set_active(*, region: Region, is_active: bool, actor: Actor) -> Region:
    """(De)activate a division (see region_update for the subtree rule)."""
    return region_update(region=region, is_active=is_active, actor=actor)


def region_move(*, region: Region, new_parent: Region, new_code: str, actor: Actor) -> Region:
    """Move a community to another street (or a street to another district), recoding it.

    The code must follow the new parent's, so a move always comes with the new code.
    A street's communities are recoded in the same transaction: their codes keep
    their last three digits behind the street's new code. The move is refused,
    writing nothing, if any resulting code is taken. Both trees are locked when the
    move crosses districts.
    """
    _check_actor_may_write(actor, region=region, parent=new_parent)
    with tree_lock_for(Region, region, new_parent):
        region = Region.objects.select_related("parent").get(pk=region.pk)
        new_parent = Region.objects.get(pk=new_parent.pk)
        old_code = region.code
        region.parent = new_parent
        region.code = (new_code or "").strip()
        region.full_clean()
        descendants = list(region.get_descendants().order_by("lft"))
        recoded = {d.pk: region.code + d.code[len(old_code) :] for d in descendants}
        if region.code != old_code and descendants:
            _refuse_taken_codes(recoded, old_code)
        region.save()
        if region.code != old_code and descendants:
            Region.objects.filter(pk__in=recoded).update(
                code=Concat(Value(region.code), Substr("code", len(old_code) + 1))
            )
            for node in descendants:
                LogEntry.objects.log_create(
                    node,
                    force_log=True,
                    action=LogEntry.Action.UPDATE,
                    changes={"code": [node.code, recoded[node.pk]]},
                )
    return Region.objects.get(pk=region.pk)


def _refuse_taken_codes(recoded: dict[int, str], old_code: str) -> None:
    taken = list(
        Region.objects.filter(code__in=recoded.values())
        .exclude(pk__in=recoded)
        .order_by("code")
        .values_list("code", flat=True)[:5]
    )
    if taken:
        message = _(
            "Moving this division recodes the divisions below it, but these codes are already taken: "
            "%(codes)s. Nothing was moved."
        ) % {"codes": ", ".join(taken)}
        raise ValidationError({"code": ValidationError(message, code="code_taken")})
