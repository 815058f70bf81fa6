"""Transfer letters (介绍信 with its 回执): numbered by district and year without gaps, printed, confirmed.

Numbering: the district's counter row for the year is created if missing (INSERT … ON CONFLICT DO
NOTHING), then locked with select_for_update; the letter takes last_serial + 1 and is written in the
same transaction. Two senders at once queue on the row lock, and a transaction that fails returns
its serial with the rollback: the numbers run 1, 2, 3 … with no gap and no repeat.
The number is also stored on the transfer (Transfer.letter_number), where lists and the admin search it.
A letter is issued by the sending side (internal and out transfers); its receipt is confirmed by the
side that receives (members.services.transfers.transfer_receive records it on the letter).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, require_actor
from members.models import LetterCounter, Transfer, TransferLetter
from members.services.errors import coded
from members.services.scope import require_writer
from orgs.models import Region


def _district_of(region: Region) -> Region:
    return Region.objects.get(tree_id=region.tree_id, parent__isnull=True)


def _next_serial(district: Region, year: int) -> int:
    LetterCounter.objects.bulk_create(
        [LetterCounter(district=district, year=year, last_serial=0)], ignore_conflicts=True
    )
    counter = LetterCounter.objects.select_for_update().get(district=district, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


@transaction.atomic
def transfer_letter_issue(*, transfer: Transfer, actor: Actor, on: date | None = None) -> TransferLetter:
    """The transfer's letter: issued once (a second call returns the same letter, number unchanged)."""
    require_actor(actor)
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_party_organization__region")
        .get(pk=transfer.pk)
    )
    if transfer.from_party_organization is None:
        raise coded(
            {
                NON_FIELD_ERRORS: _(
                    "A transfer into the system comes with the sender's letter; none is issued."
                )
            },
            code="no_letter",
        )
    require_writer(actor, from_party_organization=transfer.from_party_organization)
    existing = TransferLetter.objects.filter(transfer=transfer).first()
    if existing is not None:
        return existing
    if transfer.status == Transfer.Status.CANCELLED:
        raise coded(
            {NON_FIELD_ERRORS: _("The transfer was cancelled; no letter is issued.")}, code="cancelled"
        )
    on = on or timezone.localdate()
    district = _district_of(transfer.from_party_organization.region)
    serial = _next_serial(district, on.year)
    number = settings.TRANSFER_LETTER_NUMBER_FORMAT.format(
        district_code=district.code, year=on.year, serial=serial
    )
    letter = TransferLetter(
        transfer=transfer,
        district=district,
        year=on.year,
        serial=serial,
        number=number,
        issued_on=on,
        valid_days=settings.TRANSFER_LETTER_VALID_DAYS,
        issued_by=as_user(actor),
    )
    letter.full_clean(exclude=["transfer"])
    letter.save()
    transfer.letter_number = number
    transfer.save(update_fields=["letter_number"])
    return letter


def transfer_letter_printed(*, letter: TransferLetter) -> int:
    """Count one print; returns the count (1: the original, more: a copy)."""
    TransferLetter.objects.filter(pk=letter.pk).update(print_count=F("print_count") + 1)
    letter.refresh_from_db(fields=["print_count"])
    return letter.print_count


def transfer_letter_receipt(*, transfer: Transfer, received_on: date, actor: Actor) -> None:
    """Record the receipt on the letter (called by transfer_receive, inside its transaction)."""
    require_actor(actor)
    TransferLetter.objects.filter(transfer=transfer).update(
        receipt_confirmed_on=received_on, receipt_confirmed_by=as_user(actor)
    )
