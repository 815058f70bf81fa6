"""Awarding venture projects within the round's fund pool.

Lock order: the round row first, then the application row. Every award of a round takes the
round's row lock before it reads the total already awarded, so two awards at once run one
after the other and the second sees the first's amount: the pool can never be exceeded.
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user
from accounts.models import User
from accounts.services import notification_send
from alliances.models import VentureApplication, VentureRound
from alliances.rules import yuan
from alliances.services.actors import require_round_manager, require_visible

DECIDABLE = {VentureRound.Status.REVIEWING}
AwardStatus = VentureApplication.Status


def awarded_total(venture_round: VentureRound, *, exclude_pk: int | None = None) -> Decimal:
    rows = VentureApplication.objects.filter(
        round=venture_round, status__in=[AwardStatus.AWARDED, AwardStatus.COMPLETED]
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("awarded_amount"))["total"] or Decimal(0)


def _lock(application: VentureApplication, actor: Actor) -> tuple[VentureRound, VentureApplication]:
    require_visible(actor, application=application)
    venture_round = VentureRound.objects.select_for_update().get(pk=application.round_id)
    require_round_manager(actor, venture_round)
    locked = (
        VentureApplication.objects.select_for_update().select_related("organization").get(pk=application.pk)
    )
    if venture_round.status not in DECIDABLE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _("Awards are decided while the round is under review; it is “%(status)s”.")
                    % {"status": venture_round.get_status_display()},
                    code="round_not_reviewing",
                )
            }
        )
    if locked.status == AwardStatus.WITHDRAWN:
        raise ValidationError(
            {NON_FIELD_ERRORS: ValidationError(_("This application was withdrawn."), code="withdrawn")}
        )
    return venture_round, locked


def _notify(application: VentureApplication, title: str, body: str) -> None:
    url = reverse("alliances_portal:application", kwargs={"pk": application.pk})
    for contact in User.objects.filter(organization=application.organization, is_active=True):
        notification_send(
            recipient=contact,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"venture-decision:{application.pk}:{application.status}:{application.awarded_amount}",
        )


@transaction.atomic
def application_award(
    *, application: VentureApplication, amount: Decimal | None, actor: Actor, note: str = ""
) -> VentureApplication:
    """Award `amount` (up to the request) to an application; refused when the pool would be exceeded."""
    venture_round, locked = _lock(application, actor)
    if amount is None or amount <= 0:
        raise ValidationError({"awarded_amount": _("The amount awarded must be more than zero.")})
    if amount > locked.requested_amount:
        raise ValidationError(
            {
                "awarded_amount": _(
                    "The amount awarded (%(amount)s) cannot exceed the amount requested (%(request)s)."
                )
                % {"amount": yuan(amount), "request": yuan(locked.requested_amount)}
            }
        )
    others = awarded_total(venture_round, exclude_pk=locked.pk)
    if others + amount > venture_round.fund_pool:
        message = _(
            "Fund pool: awarding %(amount)s would bring the round's awards to %(total)s, "
            "above its pool of %(pool)s; at most %(left)s is left."
        ) % {
            "amount": yuan(amount),
            "total": yuan(others + amount),
            "pool": yuan(venture_round.fund_pool),
            "left": yuan(venture_round.fund_pool - others),
        }
        raise ValidationError({"awarded_amount": ValidationError(message, code="pool_exceeded")})
    locked.status = AwardStatus.AWARDED
    locked.awarded_amount = amount
    locked.decided_at = timezone.now()
    locked.decided_by = as_user(actor)
    locked.decision_note = (note or "").strip()
    locked.full_clean()
    locked.save()
    _notify(
        locked,
        _("Venture project awarded: %(title)s") % {"title": locked.title},
        _("“%(title)s” was awarded %(amount)s in %(round)s.")
        % {"title": locked.title, "amount": yuan(amount), "round": venture_round},
    )
    return locked


@transaction.atomic
def application_decline(
    *, application: VentureApplication, actor: Actor, note: str = ""
) -> VentureApplication:
    """Decide that an application is not awarded (an earlier award of it is taken back)."""
    venture_round, locked = _lock(application, actor)
    locked.status = AwardStatus.NOT_AWARDED
    locked.awarded_amount = None
    locked.decided_at = timezone.now()
    locked.decided_by = as_user(actor)
    locked.decision_note = (note or "").strip()
    locked.full_clean()
    locked.save()
    _notify(
        locked,
        _("Venture project not awarded: %(title)s") % {"title": locked.title},
        _("“%(title)s” was not awarded in %(round)s.") % {"title": locked.title, "round": venture_round},
    )
    return locked
