"""Transfers of a member's relation (组织关系转接); the sender stays responsible until receipt.

internal: sent by the holding party organization to another one in the system;
pending until the receiving side confirms, then the member's party organization
changes (so counts follow the member: until receipt the sender counts them).
out: to a unit outside the system; pending until the receipt (回执) comes back,
then the member's status becomes "transferred out".
in: from outside; recorded on arrival (received at once), creating the person or
re-activating someone who had been transferred out.
One pending transfer per member (a partial unique index backs the check).
"""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.actors import Actor
from accounts.recorded_by import recorded_by
from branches.models import PartyOrganization
from members.models import Member, Transfer
from members.services.errors import coded
from members.services.letters import transfer_letter_receipt
from members.services.members import check_identity, id_number_hash, member_create, member_update
from members.services.periods import not_active_on, not_alive_on, status_on
from members.services.scope import require_writer

Direction = Transfer.Direction
TStatus = Transfer.Status


def _date_errors(field: str, on: date | None, not_before: date | None = None) -> dict:
    if on is None:
        return {field: _("Enter the date.")}
    if on > timezone.localdate():
        return {field: _("This date cannot be in the future.")}
    if not_before is not None and on < not_before:
        return {field: _("This date cannot be before %(date)s.") % {"date": not_before.isoformat()}}
    return {}


def _save_pending(transfer: Transfer) -> Transfer:
    transfer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        raise coded(
            {NON_FIELD_ERRORS: _("This member already has a pending transfer.")}, code="pending_exists"
        ) from exc
    return transfer


@transaction.atomic
def transfer_send(
    *,
    member: Member,
    sent_on: date,
    to_party_organization: PartyOrganization | None = None,
    outside_unit: str = "",
    letter_number: str = "",
    reason: str = "",
    actor: Actor,
) -> Transfer:
    """Send the relation to another party organization (internal) or a unit outside the system (out).

    The receiving party organization may lie outside the sender's scope: any active one can be chosen.
    """
    require_writer(actor, member=member)
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("party_organization").get(pk=member.pk)
    )
    outside_unit = (outside_unit or "").strip()
    errors = _date_errors("sent_on", sent_on)
    # On the day it was sent (a back-dated transfer: the history then, not today's status).
    day = sent_on if "sent_on" not in errors else timezone.localdate()
    if not_active_on(member, day):
        errors[NON_FIELD_ERRORS] = _(
            "%(name)s's status is “%(status)s”; only active members are transferred."
        ) % {
            "name": member.name,
            "status": Member.Status(status_on(member, day)[0]).label,
        }
    if (to_party_organization is None) == (not outside_unit):
        errors["to_party_organization"] = _(
            "Choose the receiving party organization, or name the unit outside the system (one of the two)."
        )
    elif to_party_organization is not None:
        if to_party_organization.pk == member.party_organization_id:
            errors["to_party_organization"] = _("%(po)s already holds this member's relation.") % {
                "po": to_party_organization
            }
        elif not_alive_on(to_party_organization, day):
            errors["to_party_organization"] = not_alive_on(to_party_organization, day)
    if Transfer.objects.filter(member=member, status=TStatus.PENDING).exists():
        errors[NON_FIELD_ERRORS] = _("This member already has a pending transfer.")
    if errors:
        raise ValidationError(errors)
    return _save_pending(
        Transfer(
            member=member,
            direction=Direction.INTERNAL if to_party_organization is not None else Direction.OUT,
            from_party_organization=member.party_organization,
            to_party_organization=to_party_organization,
            outside_unit=outside_unit,
            sent_on=sent_on,
            letter_number=letter_number,
            reason=reason,
            **recorded_by(actor),
        )
    )


def _locked_pending(transfer: Transfer) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "to_party_organization", "from_party_organization")
        .get(pk=transfer.pk)
    )
    if transfer.status != TStatus.PENDING:
        raise coded(
            {
                NON_FIELD_ERRORS: _("This transfer is no longer pending (it is “%(status)s”).")
                % {"status": transfer.get_status_display()}
            },
            code="not_pending",
        )
    return transfer


@transaction.atomic
def transfer_receive(*, transfer: Transfer, received_on: date, actor: Actor) -> Transfer:
    """Confirm receipt: internal by the receiving side (the member moves), out by the sender (the
    receipt came back; the member is transferred out)."""
    if transfer.direction == Direction.INTERNAL:
        require_writer(actor, to_party_organization=transfer.to_party_organization)
    else:
        require_writer(actor, from_party_organization=transfer.from_party_organization)
    transfer = _locked_pending(transfer)
    errors = _date_errors("received_on", received_on, transfer.sent_on)
    target = transfer.to_party_organization
    # The receiving branch existed on the day of receipt (not necessarily today: a back-dated receipt).
    if target is not None and received_on is not None and not_alive_on(target, received_on):
        errors[NON_FIELD_ERRORS] = _("%(reason)s Cancel this transfer and send a new one.") % {
            "reason": not_alive_on(target, received_on)
        }
    if errors:
        raise ValidationError(errors)
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if transfer.direction == Direction.INTERNAL:
        assert target is not None  # an internal transfer names its receiving organization
        member.party_organization = target
        member.save(update_fields=["party_organization", "updated_at"])
    else:
        member.status = Member.Status.TRANSFERRED_OUT
        member.save(update_fields=["status", "updated_at"])
    transfer.status, transfer.received_on = TStatus.RECEIVED, received_on
    transfer.save(update_fields=["status", "received_on"])
    transfer_letter_receipt(transfer=transfer, received_on=received_on, actor=actor)
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, actor: Actor) -> Transfer:
    """Withdraw (sender) or decline (receiver) a pending transfer; the member stays where they were."""
    require_writer(actor, transfer=transfer)
    transfer = _locked_pending(transfer)
    transfer.status = TStatus.CANCELLED
    transfer.save(update_fields=["status"])
    return transfer


@sensitive_variables("person", "number")
@transaction.atomic
def transfer_in(
    *,
    to_party_organization: PartyOrganization,
    outside_unit: str,
    sent_on: date,
    received_on: date,
    person: dict,
    letter_number: str = "",
    reason: str = "",
    actor: Actor,
) -> Transfer:
    """Receive a relation from outside the system. `person` holds member_create's arguments.

    Someone already registered is re-activated only if they had been transferred out;
    an active member elsewhere in the system must be sent by an internal transfer instead.
    """
    require_writer(actor, to_party_organization=to_party_organization)
    errors = {**_date_errors("sent_on", sent_on), **_date_errors("received_on", received_on, sent_on)}
    if not (outside_unit or "").strip():
        errors["outside_unit"] = _("Name the unit outside the system the relation comes from.")
    if received_on is not None and not_alive_on(to_party_organization, received_on):
        errors["to_party_organization"] = not_alive_on(to_party_organization, received_on)
    if errors:
        raise ValidationError(errors)
    info = check_identity(
        id_number=person.get("id_number", ""),
        birth_date=person.get("birth_date"),
        gender=person.get("gender", ""),
    )
    existing = Member.objects.select_for_update().filter(id_number_hash=id_number_hash(info.number)).first()
    if existing is None:
        member = member_create(party_organization=to_party_organization, actor=actor, **person)
    elif existing.status != Member.Status.TRANSFERRED_OUT:
        raise coded(
            {
                "id_number": _(
                    "This person is already registered with the status “%(status)s”; a member inside the "
                    "system moves by an internal transfer from their party organization."
                )
                % {"status": existing.get_status_display()}
            },
            code="already_registered",
        )
    else:
        member = existing
        member.party_organization, member.status = to_party_organization, Member.Status.ACTIVE
        member.save(update_fields=["party_organization", "status", "updated_at"])
        updates = {k: v for k, v in person.items() if k in ("name", "phone", "education", "employer") and v}
        if updates:
            # Now in the receiving organization, so inside the actor's scope: checked like any update.
            member = member_update(member=member, actor=actor, **updates)
        member.warnings = info.warnings
    transfer = Transfer(
        member=member,
        direction=Direction.IN,
        to_party_organization=to_party_organization,
        outside_unit=outside_unit.strip(),
        status=TStatus.RECEIVED,
        sent_on=sent_on,
        received_on=received_on,
        letter_number=letter_number,
        reason=reason,
        **recorded_by(actor),
    )
    transfer.full_clean()
    transfer.save()
    transfer.warnings = getattr(member, "warnings", [])
    return transfer
