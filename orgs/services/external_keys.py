"""External ids (ExternalKey): a source system's key per kind of record, unique per district.

A client that sends the same external id twice reaches the same record: the API
creates it the first time and updates (or corrects) it afterwards, so a retry or
a re-sync never duplicates. The district is the root of the record's region tree.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from orgs.models import ExternalKey, Region

Kind = ExternalKey.Kind
MAX_LENGTH = 100


def district_of(region: Region) -> Region:
    """The district (root of the region tree) a region belongs to."""
    if region.parent_id is None:
        return region
    return Region.objects.get(tree_id=region.tree_id, parent__isnull=True)


def clean_external_id(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            {"external_id": _("An external id has at most %(count)d characters.") % {"count": MAX_LENGTH}}
        )
    return value


def external_find[M: models.Model](kind: str, region: Region, external_id: str, model: type[M]) -> M | None:
    """The record of `model` bound to `external_id` in `region`'s district, or None."""
    external_id = clean_external_id(external_id)
    if not external_id:
        return None
    key = ExternalKey.objects.filter(kind=kind, district=district_of(region), external_id=external_id).first()
    if key is None:
        return None
    return model._default_manager.filter(pk=key.object_id).first()


def external_bind(kind: str, region: Region, external_id: str, obj: models.Model) -> None:
    """Bind `external_id` to `obj` (a no-op without an id, or when already bound to it)."""
    external_id = clean_external_id(external_id)
    if not external_id:
        return
    district = district_of(region)
    key, created = ExternalKey.objects.get_or_create(
        kind=kind, district=district, external_id=external_id, defaults={"object_id": obj.pk}
    )
    if not created and key.object_id != obj.pk:
        key.object_id = obj.pk
        key.save(update_fields=["object_id"])
