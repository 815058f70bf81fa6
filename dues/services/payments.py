"""The dues ledger: payments and corrections, never changed or deleted.

Each entry is written with its line locked (select_for_update), so two corrections at once
cannot take a line's paid total below zero. A correction names the entry it corrects and
says why; its amount has a sign (−5.00 takes back five yuan recorded too much).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from dues.models import DuesEntry, DuesLine
from dues.services.scope import recorded_by, require_actor, require_dues_writer

EARLIEST_PAYMENT = date(2008, 4, 1)
MAX_PAYMENT = Decimal("100000")


def _amount_errors(field: str, amount: object, *, signed: bool = False) -> dict:
    if amount is None:
        return {field: _("Enter the amount.")}
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return {field: _("Enter an amount in yuan, e.g. 15.00.")}
    exponent = amount.as_tuple().exponent  # an int: the amount is finite
    if isinstance(exponent, int) and exponent < -2:
        return {field: _("Amounts are in yuan with at most two decimals (fen).")}
    if abs(amount) > MAX_PAYMENT:
        return {field: _("The amount cannot exceed %(max)s yuan.") % {"max": MAX_PAYMENT}}
    if signed and amount == 0:
        return {field: _("A correction changes the amount: it cannot be zero.")}
    if not signed and amount <= 0:
        return {field: _("A payment is more than zero.")}
    return {}


def _date_errors(field: str, day: date | None) -> dict:
    if day is None:
        return {field: _("Enter the date.")}
    today = timezone.localdate()
    if day > today or day < EARLIEST_PAYMENT:
        return {
            field: _("Enter a date between %(first)s and today.") % {"first": EARLIEST_PAYMENT.isoformat()}
        }
    return {}


@dataclass
class PaymentDraft:
    line: DuesLine
    amount: Decimal
    paid_on: date
    note: str = ""


def payment_errors(draft: PaymentDraft) -> dict:
    """The field errors of one payment, before anything is written (the import previews these)."""
    errors = {**_amount_errors("amount", draft.amount), **_date_errors("paid_on", draft.paid_on)}
    if draft.line.amount_due is None:
        errors[NON_FIELD_ERRORS] = _("%(member)s has no dues base for %(month)s: record the base first.") % {
            "member": draft.line.member,
            "month": f"{draft.line.roll.month:%Y-%m}",
        }
    return errors


def _write(draft: PaymentDraft, who: dict) -> DuesEntry:
    entry = DuesEntry(
        line=draft.line,
        kind=DuesEntry.Kind.PAYMENT,
        amount=draft.amount,
        paid_on=draft.paid_on,
        note=(draft.note or "").strip()[:200],
        **who,
    )
    entry.full_clean()
    entry.save()
    return entry


def _locked(line: DuesLine) -> DuesLine:
    return (
        DuesLine.objects.select_for_update(of=("self",))
        .select_related("roll__party_organization", "member")
        .get(pk=line.pk)
    )


@transaction.atomic
def dues_payment_record(
    *, line: DuesLine, amount: Decimal, paid_on: date, note: str = "", actor: Actor
) -> DuesEntry:
    """Record one member's payment for the line's month."""
    require_actor(actor)
    line = _locked(line)
    require_dues_writer(actor, party_organization=line.roll.party_organization)
    draft = PaymentDraft(line=line, amount=amount, paid_on=paid_on, note=note)
    errors = payment_errors(draft)
    if errors:
        raise ValidationError(errors)
    return _write(draft, recorded_by(actor))


@transaction.atomic
def dues_payments_record_many(*, drafts: list[PaymentDraft], actor: Actor) -> list[DuesEntry]:
    """All the payments or none (a bulk import): every draft is checked before the first is written.
    Lines are locked in pk order (two imports touching the same lines cannot deadlock)."""
    require_actor(actor)
    locked = {
        line.pk: line
        for line in DuesLine.objects.select_for_update(of=("self",))
        .select_related("roll__party_organization", "member")
        .filter(pk__in={d.line.pk for d in drafts})
        .order_by("pk")
    }
    errors = []
    for index, draft in enumerate(drafts):
        line = locked.get(draft.line.pk)
        if line is None:
            errors.append(_("Row %(n)d: the roll line no longer exists.") % {"n": index + 1})
            continue
        draft.line = line
        try:
            require_dues_writer(actor, party_organization=line.roll.party_organization)
        except ValidationError as exc:
            errors.append(f"{index + 1}: {'; '.join(exc.messages)}")
            continue
        errors += [
            f"{index + 1}: {m}" for messages in payment_errors(draft).values() for m in _flat(messages)
        ]
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors}, code="import_invalid")
    who = recorded_by(actor)
    return [_write(draft, who) for draft in drafts]


def _flat(messages: object) -> list[str]:
    return [str(m) for m in (messages if isinstance(messages, list | tuple) else [messages])]


@transaction.atomic
def dues_entry_correct(
    *, entry: DuesEntry, amount: Decimal, note: str, actor: Actor, paid_on: date | None = None
) -> DuesEntry:
    """A new entry that changes the line's paid total by `amount` (signed), naming `entry` and why."""
    require_actor(actor)
    line = _locked(entry.line)
    require_dues_writer(actor, party_organization=line.roll.party_organization)
    paid_on = paid_on or timezone.localdate()
    errors = {**_amount_errors("amount", amount, signed=True), **_date_errors("paid_on", paid_on)}
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Say why the entry is corrected; the reason stays in the ledger.")
    if not errors:
        paid = line.entries.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if paid + amount < 0:
            errors["amount"] = _("The line's paid total (%(paid)s yuan) cannot go below zero.") % {
                "paid": paid
            }
    if errors:
        raise ValidationError(errors)
    who = recorded_by(actor)
    correction = DuesEntry(
        line=line,
        kind=DuesEntry.Kind.CORRECTION,
        amount=amount,
        paid_on=paid_on,
        corrects=entry,
        note=note[:200],
        **who,
    )
    correction.full_clean()
    correction.save()
    return correction
