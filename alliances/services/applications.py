"""Submitting and withdrawing venture applications. Every rule of the round is checked on submit."""

from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, is_system
from alliances import rules
from alliances.models import BudgetLine, VentureApplication, VentureRound
from alliances.services.actors import require_acts_for
from orgs.models import Organization


def application_breaches(
    *,
    venture_round: VentureRound,
    today: date | None = None,
    organization: Organization,
    total_budget: Decimal | None,
    requested_amount: Decimal | None,
    party_building_element: str,
    budget_lines: list[dict],
) -> list[rules.Breach]:
    """Every rule of the round this application would break (empty: it may be submitted)."""
    return [
        *rules.window_breaches(venture_round, today or timezone.localdate()),
        *rules.eligibility_breaches(venture_round, organization),
        *rules.project_count_breaches(venture_round, organization),
        *rules.party_building_breaches(venture_round, party_building_element),
        *rules.budget_breaches(
            venture_round, total_budget=total_budget, requested_amount=requested_amount, lines=budget_lines
        ),
    ]


@transaction.atomic
def application_submit(
    *,
    venture_round: VentureRound,
    organization: Organization,
    actor: Actor,
    title: str,
    summary: str,
    total_budget: Decimal,
    requested_amount: Decimal,
    budget_lines: list[dict],
    party_building_element: str = "",
    beneficiaries_planned: int = 0,
    submitted_on: date | None = None,
) -> VentureApplication:
    """Submit a project with its budget lines (dicts of category, amount, description).

    The round row is locked first, so two submissions of one organization cannot both slip
    under the per-organization limit. All broken rules are raised together, each naming its rule.
    `submitted_on` lets the system (a SystemActor) enter a past round's paper applications; a
    user always submits today.
    """
    require_acts_for(actor, organization)
    today = submitted_on if (is_system(actor) and submitted_on) else timezone.localdate()
    venture_round = VentureRound.objects.select_for_update().get(pk=venture_round.pk)
    rules.raise_breaches(
        application_breaches(
            venture_round=venture_round,
            today=today,
            organization=organization,
            total_budget=total_budget,
            requested_amount=requested_amount,
            party_building_element=party_building_element,
            budget_lines=budget_lines,
        )
    )
    application = VentureApplication(
        round=venture_round,
        organization=organization,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        party_building_element=(party_building_element or "").strip(),
        beneficiaries_planned=beneficiaries_planned or 0,
        total_budget=total_budget,
        requested_amount=requested_amount,
        submitted_by=as_user(actor),
        submitted_at=timezone.now()
        if today == timezone.localdate()
        else timezone.make_aware(datetime.combine(today, time(10, 0))),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            {"title": _("Your organization already applied with this project title.")}
        ) from None
    lines = [
        BudgetLine(
            application=application,
            category=line["category"],
            amount=line["amount"],
            description=(line.get("description") or "").strip(),
        )
        for line in budget_lines
    ]
    for line in lines:
        line.full_clean()
    BudgetLine.objects.bulk_create(lines)
    return application


@transaction.atomic
def application_withdraw(*, application: VentureApplication, actor: Actor) -> VentureApplication:
    """The applicant withdraws a submitted project while the round is still open."""
    require_acts_for(actor, application.organization)
    locked = VentureApplication.objects.select_for_update().select_related("round").get(pk=application.pk)
    if locked.status != VentureApplication.Status.SUBMITTED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Only a submitted application can be withdrawn; this one is “%(status)s”."
                )
                % {"status": locked.get_status_display()}
            }
        )
    if locked.round.status != VentureRound.Status.OPEN:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Applications can be withdrawn only while the round is open.")}
        )
    locked.status = VentureApplication.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked
