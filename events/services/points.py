"""The volunteer service bank: registering volunteers, and every write to the append-only points ledger.

Each entry is written with the volunteer's row locked (`select_for_update`), the new balance
computed from the locked value and stored on the row and on the entry. Two redemptions at once
therefore run one after the other: the second sees the first one's balance and is refused when
it would go below zero. Lock order: volunteer first, then the item (stock), always.
A check constraint (balance >= 0) backs the rule in the database.
"""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.actors import Actor, require_actor
from accounts.ratelimit import rate_limit_key
from accounts.recorded_by import recorded_by
from events.conf import events_setting
from events.models import Attendance, CharityItem, PointEntry, Volunteer
from events.selectors import volunteer_communities
from events.services.scope import require_person, require_staff, require_visible
from members.models import Member
from members.phones import clean_phone
from members.services.members import phone_hash
from orgs.models import Region


@sensitive_variables("phone", "digest")
def volunteer_find_by_phone(*, phone: str, actor: Actor) -> Volunteer | None:
    """The volunteer inside `actor`'s scope registered with exactly this number (hash lookup), or None.

    Scoped, so the lookup says nothing about volunteers the actor may not see (and counted
    against the actor's "volunteer_lookup" rate limit).
    """
    require_person(actor)
    rate_limit_key(group="events.volunteer_lookup", rate="volunteer_lookup", key=f"user:{actor.pk}")
    try:
        digest = phone_hash(clean_phone(phone))
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if not digest:
        return None
    return Volunteer.objects.visible_to(actor).filter(phone_hash=digest).first()


@sensitive_variables("phone")
@transaction.atomic
def volunteer_create(
    *,
    actor: Actor,
    name: str,
    region: Region,
    phone: str = "",
    member: Member | None = None,
    registered_on: date | None = None,
) -> Volunteer:
    """Register a volunteer living in `region`, a community the actor may register in
    (events.selectors.volunteer_communities).

    `registered_on`: a volunteer of the district's history, registered on that past day (staff only,
    so the activities they came to before today can be recorded: events.services.past_volunteers)."""
    require_person(actor)
    require_visible(actor, member=member)
    if registered_on is not None:
        require_staff(actor)
    try:
        phone = clean_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    errors = {}
    if region.kind != "community":
        errors["region"] = _("Choose the community (or village) where the volunteer lives.")
    elif not volunteer_communities(actor).filter(pk=region.pk).exists():
        errors["region"] = _("Choose a community inside your own district or scope.")
    digest = phone_hash(phone)
    if digest and Volunteer.objects.filter(phone_hash=digest).exists():
        errors["phone"] = _("A volunteer with this phone number is already registered.")
    if member is not None and Volunteer.objects.filter(member=member).exists():
        errors["member"] = _("%(member)s is already registered as a volunteer.") % {"member": member}
    if registered_on is not None and registered_on > timezone.localdate():
        errors["registered_on"] = _("The registration day cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    volunteer = Volunteer(name=name.strip(), region=region, phone=phone, phone_hash=digest, member=member)
    volunteer.full_clean(exclude=["phone_hash"])
    volunteer.save()
    if registered_on is not None:  # `registered_at` is set on insert (auto_now_add): moved back here
        volunteer.registered_at = timezone.make_aware(datetime.combine(registered_on, time(9, 0)))
        volunteer.save(update_fields=["registered_at"])
    return volunteer


def _book(volunteer: Volunteer, *, kind: str, points: int, actor: Actor, **fields: Any) -> PointEntry:
    """Append one entry for a volunteer whose row the caller holds locked."""
    new_balance = volunteer.balance + points
    if new_balance < 0:
        message = _("%(name)s has %(balance)d points; %(needed)d are needed.") % {
            "name": volunteer,
            "balance": volunteer.balance,
            "needed": -points,
        }
        raise ValidationError({"points": ValidationError(message, code="insufficient_points")})
    entry = PointEntry(
        volunteer=volunteer,
        kind=kind,
        points=points,
        balance_after=new_balance,
        **recorded_by(actor),
        **fields,
    )
    entry.full_clean()
    entry.save()
    volunteer.balance = new_balance
    volunteer.save(update_fields=["balance"])
    return entry


def _locked(volunteer: Volunteer) -> Volunteer:
    return Volunteer.objects.select_for_update().get(pk=volunteer.pk)


@transaction.atomic
def points_credit_attendance(*, attendance: Attendance, actor: Actor) -> PointEntry:
    """Credit the confirmed hours of one attendance row (once: the entry is one-to-one with the row)."""
    require_actor(actor)
    row = Attendance.objects.select_related("event").get(pk=attendance.pk)
    if row.volunteer_id is None or not row.came or not row.hours:
        raise ValidationError({"hours": _("Only a volunteer who came, with hours, is credited.")})
    volunteer = Volunteer.objects.select_for_update().get(pk=row.volunteer_id)
    if PointEntry.objects.filter(attendance=row).exists():
        raise ValidationError({"hours": _("These hours are already credited.")})
    points = int((row.hours * events_setting("POINTS_PER_HOUR")).to_integral_value())
    return _book(
        volunteer,
        kind=PointEntry.Kind.CREDIT,
        points=max(points, 1),
        actor=actor,
        hours=row.hours,
        attendance=row,
        event=row.event,
        note=row.event.title[:200],
    )


@transaction.atomic
def points_redeem(*, volunteer: Volunteer, item: CharityItem, quantity: int, actor: Actor) -> PointEntry:
    """Exchange points for goods of a charity supermarket; refused when points or stock fall short."""
    require_staff(actor)
    require_visible(actor, volunteer=volunteer)
    if quantity < 1:
        raise ValidationError({"quantity": _("Redeem at least one.")})
    volunteer = _locked(volunteer)  # lock order: volunteer, then item
    item = CharityItem.objects.select_for_update().select_related("supermarket").get(pk=item.pk)
    if not (item.is_active and item.supermarket.is_active):
        raise ValidationError({"item": _("%(item)s is not on the shelf.") % {"item": item.name}})
    if item.stock < quantity:
        raise ValidationError(
            {"quantity": _("Only %(n)d of %(item)s left in stock.") % {"n": item.stock, "item": item.name}}
        )
    entry = _book(
        volunteer,
        kind=PointEntry.Kind.REDEMPTION,
        points=-item.points * quantity,
        actor=actor,
        item=item,
        quantity=quantity,
        note=f"{item.name} × {quantity}",
    )
    item.stock -= quantity
    item.save(update_fields=["stock"])
    return entry


@transaction.atomic
def points_correct(
    *,
    volunteer: Volunteer,
    points: int,
    actor: Actor,
    note: str,
    hours: Decimal = Decimal(0),
    corrects: PointEntry | None = None,
) -> PointEntry:
    """A correction is a new entry (never an edit): points and/or hours, either sign, with a reason."""
    require_staff(actor)
    require_visible(actor, volunteer=volunteer)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the correction is made.")})
    if not points and not hours:
        raise ValidationError({"points": _("A correction changes the points or the hours.")})
    if corrects is not None and corrects.volunteer_id != volunteer.pk:
        raise ValidationError({"corrects": _("The corrected entry belongs to another volunteer.")})
    return _book(
        _locked(volunteer),
        kind=PointEntry.Kind.CORRECTION,
        points=points,
        actor=actor,
        hours=hours,
        corrects=corrects,
        note=note.strip(),
    )


@transaction.atomic
def charity_item_restock(*, item: CharityItem, quantity: int, actor: Actor) -> CharityItem:
    require_staff(actor)
    require_visible(actor, item=item)
    item = CharityItem.objects.select_for_update().get(pk=item.pk)
    if item.stock + quantity < 0:
        raise ValidationError(
            {"quantity": _("The stock cannot go below zero (now %(n)d).") % {"n": item.stock}}
        )
    item.stock += quantity
    item.save(update_fields=["stock"])
    return item
