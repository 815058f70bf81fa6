"""The rules of a venture round, checked on every application (and shown to applicants beforehand).

Each check returns `Breach`es: the form field it concerns, a stable code, and a message that
names the rule and says what is wrong (with the figures). `application_submit` raises them all
at once, so an applicant sees every broken rule in one go.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import BudgetLine, VentureApplication, VentureRound
from branches.models import CoverageLink, InstructorAssignment
from branches.querysets import active_on_q
from orgs.models import Organization, Region

STAFF = BudgetLine.Category.STAFF
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Breach:
    field: str
    code: str
    message: str


def yuan(amount: Decimal) -> str:
    return f"¥{Decimal(amount).quantize(CENT):,}"


def percent(fraction: Decimal) -> str:
    return f"{(Decimal(fraction) * 100).quantize(TENTH)} %"


def eligible_region(venture_round: VentureRound) -> Region:
    return venture_round.eligible_region or venture_round.region


def window_breaches(venture_round: VentureRound, today: date) -> list[Breach]:
    if venture_round.status != VentureRound.Status.OPEN:
        return [
            Breach(
                NON_FIELD_ERRORS,
                "round_not_open",
                _("Application window: this round is not open for applications (its status is “%(status)s”).")
                % {"status": venture_round.get_status_display()},
            )
        ]
    if not venture_round.opens_on <= today <= venture_round.closes_on:
        return [
            Breach(
                NON_FIELD_ERRORS,
                "outside_window",
                _(
                    "Application window: this round takes applications from %(opens)s to %(closes)s; "
                    "today (%(today)s) is outside that window."
                )
                % {
                    "opens": venture_round.opens_on.isoformat(),
                    "closes": venture_round.closes_on.isoformat(),
                    "today": today.isoformat(),
                },
            )
        ]
    return []


def eligibility_breaches(venture_round: VentureRound, organization: Organization) -> list[Breach]:
    """Who may apply: an active organization of an eligible kind and registration, inside the region."""
    breaches = []
    if organization.status != Organization.Status.ACTIVE:
        breaches.append(
            Breach(
                "organization",
                "org_not_active",
                _("Eligibility: “%(org)s” is %(status)s; only active organizations may apply.")
                % {"org": organization, "status": organization.get_status_display()},
            )
        )
    kinds = venture_round.eligible_kinds or []
    if kinds and organization.kind not in kinds:
        labels = "、".join(str(Organization.Kind(k).label) for k in kinds if k in Organization.Kind.values)
        breaches.append(
            Breach(
                "organization",
                "org_kind_not_eligible",
                _("Eligibility: this round is open to %(kinds)s only; “%(org)s” is a %(kind)s.")
                % {"kinds": labels, "org": organization, "kind": organization.get_kind_display()},
            )
        )
    registrations = venture_round.eligible_registrations or []
    if registrations and organization.registration not in registrations:
        labels = "、".join(
            str(Organization.Registration(r).label)
            for r in registrations
            if r in Organization.Registration.values
        )
        breaches.append(
            Breach(
                "organization",
                "org_registration_not_eligible",
                _(
                    "Eligibility: this round is open to organizations that are %(allowed)s; "
                    "“%(org)s” is %(actual)s."
                )
                % {"allowed": labels, "org": organization, "actual": organization.get_registration_display()},
            )
        )
    breaches += coverage_breaches(venture_round, organization, timezone.localdate())
    region = eligible_region(venture_round)
    inside = Region.objects.in_subtree(region).filter(pk=organization.region_id).exists()
    if not inside:
        breaches.append(
            Breach(
                "organization",
                "org_region_not_eligible",
                _("Eligibility: this round is open to organizations in %(region)s; “%(org)s” is in %(own)s.")
                % {"region": region.name, "org": organization, "own": organization.region.name},
            )
        )
    return breaches


def coverage_breaches(venture_round: VentureRound, organization: Organization, day: date) -> list[Breach]:
    """A round may require applicants to be covered on the day they apply: by a party organization
    (org coverage), or by one or an instructor (org or work coverage); the same rules as the figures."""
    required = venture_round.required_coverage
    if not required:
        return []
    links = CoverageLink.objects.filter(
        active_on_q(day),
        organization=organization,
        party_organization__status="active",
        party_organization__building_mode__in=["single", "joint", "fallback"],
    )
    covered = links.exists()
    if not covered and required == VentureRound.RequiredCoverage.ORG_OR_WORK:
        covered = InstructorAssignment.objects.filter(active_on_q(day), organization=organization).exists()
    if covered:
        return []
    message = {
        VentureRound.RequiredCoverage.ORG: _(
            "Eligibility: this round is open to organizations covered by a party organization; “%(org)s” "
            "is not covered by one today."
        ),
        VentureRound.RequiredCoverage.ORG_OR_WORK: _(
            "Eligibility: this round is open to organizations covered by a party organization or an "
            "instructor; “%(org)s” has neither today."
        ),
    }[VentureRound.RequiredCoverage(required)]
    return [Breach("organization", "org_not_covered", message % {"org": organization})]


def project_count_breaches(venture_round: VentureRound, organization: Organization) -> list[Breach]:
    count = VentureApplication.objects.filter(round=venture_round, organization=organization).active().count()
    limit = venture_round.max_projects_per_org
    if count >= limit:
        return [
            Breach(
                "organization",
                "too_many_projects",
                _(
                    "Projects per organization: this round allows at most %(limit)d per organization, and "
                    "“%(org)s” already has %(count)d."
                )
                % {"limit": limit, "org": organization, "count": count},
            )
        ]
    return []


def budget_breaches(
    venture_round: VentureRound,
    *,
    total_budget: Decimal | None,
    requested_amount: Decimal | None,
    lines: list[dict],
) -> list[Breach]:
    """Budget lines present and positive, total = sum of lines, request within budget and cap,
    staff pay within the round's share of the budget."""
    breaches = []
    if not lines:
        return [Breach("budget_lines", "no_budget_lines", _("Budget: give at least one budget line."))]
    bad = [i + 1 for i, line in enumerate(lines) if line.get("amount") is None or line["amount"] <= 0]
    if bad:
        breaches.append(
            Breach(
                "budget_lines",
                "budget_line_not_positive",
                _("Budget: the amount of line %(lines)s must be more than zero.")
                % {"lines": ", ".join(str(n) for n in bad)},
            )
        )
    unknown = [
        i + 1 for i, line in enumerate(lines) if line.get("category") not in BudgetLine.Category.values
    ]
    if unknown:
        breaches.append(
            Breach(
                "budget_lines",
                "budget_line_category",
                _("Budget: choose a category for line %(lines)s.")
                % {"lines": ", ".join(str(n) for n in unknown)},
            )
        )
    line_sum = sum((line.get("amount") or Decimal(0) for line in lines), Decimal(0))
    if total_budget is None or total_budget <= 0:
        breaches.append(
            Breach(
                "total_budget", "budget_not_positive", _("Budget: the total budget must be more than zero.")
            )
        )
        return breaches
    if line_sum != total_budget:
        breaches.append(
            Breach(
                "total_budget",
                "budget_mismatch",
                _("Budget: the total budget (%(total)s) must equal the sum of the budget lines (%(sum)s).")
                % {"total": yuan(total_budget), "sum": yuan(line_sum)},
            )
        )
    if requested_amount is not None:
        if requested_amount > total_budget:
            breaches.append(
                Breach(
                    "requested_amount",
                    "request_above_budget",
                    _(
                        "Request: the amount requested (%(request)s) cannot exceed "
                        "the total budget (%(total)s)."
                    )
                    % {"request": yuan(requested_amount), "total": yuan(total_budget)},
                )
            )
        cap = venture_round.max_request_per_project
        if cap is not None and requested_amount > cap:
            breaches.append(
                Breach(
                    "requested_amount",
                    "request_above_cap",
                    _(
                        "Per-project cap: this round funds at most %(cap)s per project; "
                        "%(request)s was requested."
                    )
                    % {"cap": yuan(cap), "request": yuan(requested_amount)},
                )
            )
    staff = sum(
        (line.get("amount") or Decimal(0) for line in lines if line.get("category") == STAFF), Decimal(0)
    )
    share = staff / total_budget
    if share > venture_round.max_staff_cost_share:
        breaches.append(
            Breach(
                "budget_lines",
                "staff_share_exceeded",
                _(
                    "Staff costs: staff pay may be at most %(max)s of a project's budget in this round; "
                    "here it is %(share)s (%(staff)s of %(total)s)."
                )
                % {
                    "max": percent(venture_round.max_staff_cost_share),
                    "share": percent(share),
                    "staff": yuan(staff),
                    "total": yuan(total_budget),
                },
            )
        )
    return breaches


def party_building_breaches(venture_round: VentureRound, element: str) -> list[Breach]:
    if venture_round.is_red and not (element or "").strip():
        return [
            Breach(
                "party_building_element",
                "party_building_missing",
                _(
                    "Red round: every project in a red venture round must describe "
                    "its party-building element."
                ),
            )
        ]
    return []


def raise_breaches(breaches: list[Breach]) -> None:
    if not breaches:
        return
    errors: dict[str, list[ValidationError]] = {}
    for breach in breaches:
        errors.setdefault(breach.field, []).append(ValidationError(breach.message, code=breach.code))
    raise ValidationError(errors)
