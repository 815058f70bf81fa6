"""Service centers and their rooms: written by platform staff inside their region."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import Actor
from events.models import Room, ServiceCenter
from events.services.scope import require_staff, require_visible

CENTER_FIELDS = ("name", "level", "region", "address", "description", "is_active")
ROOM_FIELDS = ("name", "capacity", "facilities", "opens_at", "closes_at", "open_weekdays", "is_active")


def _check_level(center: ServiceCenter) -> None:
    expected = ServiceCenter.REGION_KIND.get(center.level)
    if center.region_id and expected and center.region.kind != expected:
        raise ValidationError(
            {
                "region": _("A %(level)s center sits in a %(kind)s, not in %(region)s.")
                % {
                    "level": center.get_level_display(),
                    "kind": dict(center.region.Kind.choices)[expected],
                    "region": center.region,
                }
            }
        )


def _save_center(center: ServiceCenter, actor: Actor) -> ServiceCenter:
    require_staff(actor)
    require_visible(actor, region=center.region)
    center.full_clean()
    _check_level(center)
    center.save()
    return center


@transaction.atomic
def service_center_create(*, actor: Actor, **fields: Any) -> ServiceCenter:
    return _save_center(ServiceCenter(**{k: v for k, v in fields.items() if k in CENTER_FIELDS}), actor)


@transaction.atomic
def service_center_update(*, center: ServiceCenter, actor: Actor, **fields: Any) -> ServiceCenter:
    require_visible(actor, center=center)
    center = ServiceCenter.objects.select_for_update().get(pk=center.pk)
    for name in CENTER_FIELDS:
        if name in fields:
            setattr(center, name, fields[name])
    return _save_center(center, actor)


def _check_weekdays(room: Room) -> None:
    if not room.open_weekdays or any(c not in "1234567" for c in room.open_weekdays):
        raise ValidationError(
            {"open_weekdays": _("Use the digits 1 (Monday) to 7 (Sunday), e.g. 12345 for weekdays.")}
        )


@transaction.atomic
def room_create(*, actor: Actor, center: ServiceCenter, **fields: Any) -> Room:
    require_staff(actor)
    require_visible(actor, center=center)
    room = Room(center=center, **{k: v for k, v in fields.items() if k in ROOM_FIELDS})
    _check_weekdays(room)
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def room_update(*, room: Room, actor: Actor, **fields: Any) -> Room:
    require_staff(actor)
    require_visible(actor, room=room)
    room = Room.objects.select_for_update().get(pk=room.pk)
    for name in ROOM_FIELDS:
        if name in fields:
            setattr(room, name, fields[name])
    _check_weekdays(room)
    room.full_clean()
    room.save()
    return room
