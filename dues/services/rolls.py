"""Monthly rolls: one per (party organization, month), one line per member who pays.

Idempotent by construction: rolls and lines are inserted with ON CONFLICT DO NOTHING on their
unique keys, so a second run, a retry or two workers at once leave one roll with one line per
member. A run adds the lines of members who joined since, and prices lines still waiting for a
base; it never changes a priced line. Party organizations are handled ROLL_BATCH_POS per
transaction: a job that dies keeps the batches it committed and its re-run completes the rest.

Who pays in a month: active probationary and full members whose relation the party organization
holds, admitted by the month's end. The member's status is read as it is when the roll is made
(the beat job makes the current month's roll on its first day).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import PartyOrganization
from dues.conf import dues_setting
from dues.models import DuesBase, DuesLine, DuesRoll
from dues.rules import amount_due
from dues.services.bases import EARLIEST_MONTH
from dues.services.scope import require_actor, require_dues_writer
from members.models import Member

ROLL_BATCH_POS = 200  # party organizations per transaction


@dataclass
class RollRun:
    rolls: int = 0
    lines: int = 0
    priced: int = 0


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def paying_members_q(month: date) -> Q:
    return Q(
        status=Member.Status.ACTIVE,
        stage__in=[Member.Stage.PROBATIONARY, Member.Stage.FULL],
        admitted_on__lte=month_end(month),
    )


def collects_dues(po: PartyOrganization) -> bool:
    return po.status == PartyOrganization.Status.ACTIVE and po.kind not in dues_setting("NO_DUES_PO_KINDS")


def _check_month(month: date) -> None:
    today = timezone.localdate()
    if month is None or month.day != 1 or not (EARLIEST_MONTH <= month <= today.replace(day=1)):
        raise ValidationError(
            {"month": _("Rolls are made for a month from %(first)s to this month.") % {"first": "2008-04"}}
        )


def dues_rolls_generate(
    *, month: date, actor: Actor, party_organization: PartyOrganization | None = None
) -> RollRun:
    """Make (or complete) the rolls of `month`: every party organization that collects dues and holds
    paying members, or only `party_organization`."""
    require_actor(actor)
    _check_month(month)
    if party_organization is not None:
        require_dues_writer(actor, party_organization=party_organization)
        if not collects_dues(party_organization):
            raise ValidationError(
                {"party_organization": _("Temporary and dissolved party organizations collect no dues.")},
                code="no_dues",
            )
        po_ids = [party_organization.pk]
    else:
        paying = Member.objects.filter(paying_members_q(month), party_organization=OuterRef("pk"))
        po_ids = list(
            PartyOrganization.objects.active()
            .exclude(kind__in=dues_setting("NO_DUES_PO_KINDS"))
            .filter(Exists(paying))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    run = RollRun()
    for start in range(0, len(po_ids), ROLL_BATCH_POS):
        _generate_batch(po_ids[start : start + ROLL_BATCH_POS], month, run)
    return run


@transaction.atomic
def _generate_batch(po_ids: list[int], month: date, run: RollRun) -> None:
    before = DuesRoll.objects.filter(party_organization_id__in=po_ids, month=month).count()
    DuesRoll.objects.bulk_create(
        [DuesRoll(party_organization_id=pk, month=month) for pk in po_ids], ignore_conflicts=True
    )
    rolls = dict(
        DuesRoll.objects.filter(party_organization_id__in=po_ids, month=month).values_list(
            "party_organization_id", "pk"
        )
    )
    run.rolls += len(rolls) - before
    latest_base = DuesBase.objects.filter(member=OuterRef("pk"), valid_from__lte=month).order_by(
        "-valid_from"
    )
    members = list(
        Member.objects.filter(paying_members_q(month), party_organization_id__in=po_ids)
        .annotate(base_id=Subquery(latest_base.values("pk")[:1]))
        .order_by("pk")
        .values("pk", "party_organization_id", "base_id")
    )
    bases = DuesBase.objects.in_bulk([m["base_id"] for m in members if m["base_id"]])
    lines = []
    for row in members:
        base = bases.get(row["base_id"])
        lines.append(
            DuesLine(
                roll_id=rolls[row["party_organization_id"]],
                member_id=row["pk"],
                category=base.category if base else "",
                amount_due=amount_due(base.category, base.monthly_income, base.pledged_amount)
                if base
                else None,
            )
        )
    existing = DuesLine.objects.filter(roll_id__in=rolls.values()).count()
    DuesLine.objects.bulk_create(lines, ignore_conflicts=True, batch_size=1000)
    run.lines += DuesLine.objects.filter(roll_id__in=rolls.values()).count() - existing
    # Lines written before the member had a base: priced now.
    waiting = DuesLine.objects.filter(roll_id__in=rolls.values(), amount_due__isnull=True).select_for_update()
    by_member = {line.member_id: line for line in lines if line.amount_due is not None}
    for line in waiting:
        priced = by_member.get(line.member_id)
        if priced is not None:
            line.category, line.amount_due = priced.category, priced.amount_due
            line.save(update_fields=["category", "amount_due"])
            run.priced += 1
