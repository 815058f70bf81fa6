"""Charity supermarkets and their items: staff keep them; stock changes only by restocking or redemption."""

from typing import Any

from django.db import transaction

from accounts.actors import Actor
from events.models import CharityItem, CharitySupermarket
from events.services.scope import require_staff, require_visible

SUPERMARKET_FIELDS = ("name", "region", "center", "address", "is_active")
ITEM_FIELDS = ("supermarket", "name", "points", "is_active")


@transaction.atomic
def charity_supermarket_save(
    *, actor: Actor, supermarket: CharitySupermarket | None = None, **fields: Any
) -> CharitySupermarket:
    require_staff(actor)
    row = supermarket or CharitySupermarket()
    for name in SUPERMARKET_FIELDS:
        if name in fields:
            setattr(row, name, fields[name])
    require_visible(actor, region=row.region, center=row.center)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def charity_item_save(*, actor: Actor, item: CharityItem | None = None, **fields: Any) -> CharityItem:
    """Name, price in points and shelf state; stock through charity_item_restock (and redemptions)."""
    require_staff(actor)
    row = item or CharityItem(stock=0)
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(row, name, fields[name])
    require_visible(actor, supermarket=row.supermarket)
    row.full_clean()
    row.save()
    return row
