"""A member's dues base: recorded as history (one row per starting month), shown only on purpose.

Recording a base re-prices the member's unpaid roll lines from its month on (a line with any
entry keeps its amount: what was asked and paid is settled, a mistake there is corrected in the
ledger). Every display of a base's figures writes a members.RevealLog row (field "dues_base") in
the same transaction that reads them, like the reveal of an ID number.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from accounts.models import User
from dues.models import Category, DuesBase, DuesEntry, DuesLine
from dues.rules import amount_due, rule_amount
from dues.services.scope import is_system, require_actor, require_dues_writer
from members.dates import add_months
from members.models import Member, RevealLog

EARLIEST_MONTH = date(2008, 4, 1)  # the 2008 rules took effect in April 2008
MAX_MONTHLY_INCOME = Decimal("10000000")
REVEAL_FIELD = "dues_base"


def _month_errors(field: str, month: date | None, today: date) -> dict:
    if month is None:
        return {field: _("Enter the month.")}
    if month.day != 1:
        return {field: _("Enter a month (its first day).")}
    latest = add_months(today.replace(day=1), 1)
    if month < EARLIEST_MONTH or month > latest:
        return {
            field: _("Enter a month between %(first)s and %(last)s.")
            % {"first": f"{EARLIEST_MONTH:%Y-%m}", "last": f"{latest:%Y-%m}"}
        }
    return {}


def _money_errors(field: str, value: Decimal | None, *, maximum: Decimal) -> dict:
    if value is None:
        return {}
    if value < 0:
        return {field: _("The amount cannot be negative.")}
    if value > maximum:
        return {field: _("The amount cannot exceed %(max)s yuan.") % {"max": maximum}}
    exponent = value.as_tuple().exponent  # an int: the amount is finite
    if isinstance(exponent, int) and exponent < -2:
        return {field: _("Amounts are in yuan with at most two decimals (fen).")}
    return {}


@transaction.atomic
def dues_base_set(
    *,
    member: Member,
    category: str,
    valid_from: date,
    monthly_income: Decimal | None = None,
    pledged_amount: Decimal | None = None,
    note: str = "",
    actor: Actor,
) -> DuesBase:
    """Record the base that holds from `valid_from` (a month's first day); the same month again
    replaces that month's row (the audit log keeps the change)."""
    require_actor(actor)
    member = Member.objects.select_for_update().select_related("party_organization").get(pk=member.pk)
    require_dues_writer(actor, party_organization=member.party_organization)
    today = timezone.localdate()
    errors = _month_errors("valid_from", valid_from, today)
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    elif category in (Category.INCOME, Category.RETIRED):
        if monthly_income is None:
            errors["monthly_income"] = _("Enter the monthly income after tax (or the pension).")
        errors.update(_money_errors("monthly_income", monthly_income, maximum=MAX_MONTHLY_INCOME))
    elif monthly_income is not None:
        errors["monthly_income"] = _("Students and members on relief pay a fixed amount: leave it empty.")
    errors.update(_money_errors("pledged_amount", pledged_amount, maximum=MAX_MONTHLY_INCOME))
    if not errors and pledged_amount is not None:
        minimum = rule_amount(category, monthly_income)
        if pledged_amount < minimum:
            errors["pledged_amount"] = _(
                "A pledge is for paying more: at least %(amount)s yuan, the rules' amount."
            ) % {"amount": minimum}
    if errors:
        raise ValidationError(errors)
    base = DuesBase.objects.filter(member=member, valid_from=valid_from).first() or DuesBase(
        member=member, valid_from=valid_from
    )
    base.category = category
    base.monthly_income = monthly_income
    base.pledged_amount = pledged_amount
    base.note = (note or "").strip()[:200]
    base.set_recorder(actor)
    base.full_clean(validate_unique=False)
    base.save()
    _reprice_unpaid_lines(member, valid_from)
    return base


def _reprice_unpaid_lines(member: Member, valid_from: date) -> int:
    """Lines of months from `valid_from` until the next base, with no entry yet, follow the new base."""
    later = (
        DuesBase.objects.filter(member=member, valid_from__gt=valid_from)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    lines = DuesLine.objects.filter(member=member, roll__month__gte=valid_from).exclude(
        Exists(DuesEntry.objects.filter(line=OuterRef("pk")))
    )
    if later is not None:
        lines = lines.filter(roll__month__lt=later)
    base = DuesBase.objects.get(member=member, valid_from=valid_from)
    due = amount_due(base.category, base.monthly_income, base.pledged_amount)
    return lines.update(category=base.category, amount_due=due)


@transaction.atomic
def dues_bases_reveal(*, member: Member, user: User, ip_address: str | None = None) -> list[DuesBase]:
    """The member's base history, after logging who looked (the caller checked the scope)."""
    require_actor(user)
    if is_system(user):
        raise TypeError("a reveal is made by a person")
    RevealLog.objects.create(
        member=member,
        field=REVEAL_FIELD,
        user=user,
        reason=_("Party dues: the member's base"),
        ip_address=ip_address or None,
    )
    return list(DuesBase.objects.filter(member=member).order_by("-valid_from", "-id"))
