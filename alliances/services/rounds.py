"""Writes to venture rounds: the call and its rules, criteria, reviewers and the status workflow.

Only round managers (superusers, district staff of the round's district) call these. The rules
are fixed once the round opens (applicants are judged by the rules they saw); the closing date
may still move while the round is open.
"""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, is_system
from accounts.models import User
from accounts.services import notification_send
from alliances.models import ReviewCriterion, RoundReviewer, VentureApplication, VentureRound
from alliances.services.actors import refusal, require_round_manager, require_visible
from orgs.models import Organization, Region

Status = VentureRound.Status
ROUND_FIELDS = frozenset(
    {
        "name",
        "kind",
        "region",
        "description",
        "opens_on",
        "closes_on",
        "fund_pool",
        "max_projects_per_org",
        "max_staff_cost_share",
        "max_request_per_project",
        "eligible_kinds",
        "eligible_registrations",
        "eligible_region",
        "required_coverage",
    }
)
ALWAYS_EDITABLE = frozenset({"name", "description"})
EDITABLE_WHILE_OPEN = ALWAYS_EDITABLE | {"closes_on"}
# The workflow, forwards only: draft → open → reviewing → awarded → closed → published.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.OPEN},
    Status.OPEN: {Status.REVIEWING},
    Status.REVIEWING: {Status.AWARDED},
    Status.AWARDED: {Status.CLOSED, Status.PUBLISHED},
    Status.CLOSED: {Status.PUBLISHED},
    Status.PUBLISHED: set(),
}
CRITERIA_EDITABLE = {Status.DRAFT, Status.OPEN}
REVIEWERS_EDITABLE = {Status.DRAFT, Status.OPEN, Status.REVIEWING}


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - ROUND_FIELDS
    if unknown:
        raise TypeError(f"Venture round fields not editable here: {sorted(unknown)}")


def _clean_rules(venture_round: VentureRound, actor: Actor) -> None:
    errors = {}
    kinds = venture_round.eligible_kinds or []
    if not isinstance(kinds, list) or any(k not in Organization.Kind.values for k in kinds):
        errors["eligible_kinds"] = _("Choose kinds of organization from the list (or none for every kind).")
    registrations = venture_round.eligible_registrations or []
    if not isinstance(registrations, list) or any(
        r not in Organization.Registration.values for r in registrations
    ):
        errors["eligible_registrations"] = _("Choose “registered”, “filed”, both or neither.")
    if venture_round.region_id:
        require_visible(actor, region=venture_round.region)
        if venture_round.eligible_region_id and not (
            Region.objects.in_subtree(venture_round.region)
            .filter(pk=venture_round.eligible_region_id)
            .exists()
        ):
            errors["eligible_region"] = _(
                "The eligible region must lie inside the round's region (%(region)s)."
            ) % {"region": venture_round.region.name}
    if errors:
        raise ValidationError(errors)
    venture_round.name = (venture_round.name or "").strip()
    venture_round.full_clean()


@transaction.atomic
def round_create(*, actor: Actor, **fields: Any) -> VentureRound:
    """A new round, as a draft; the rules default to the ALLIANCES settings."""
    _check_fields(fields)
    require_round_manager(actor)
    venture_round = VentureRound(**fields, status=Status.DRAFT, created_by=as_user(actor))
    _clean_rules(venture_round, actor)
    venture_round.save()
    return venture_round


@transaction.atomic
def round_update(*, venture_round: VentureRound, actor: Actor, **fields: Any) -> VentureRound:
    _check_fields(fields)
    require_round_manager(actor, venture_round)
    locked = VentureRound.objects.select_for_update().get(pk=venture_round.pk)
    editable = (
        ROUND_FIELDS
        if locked.status == Status.DRAFT
        else EDITABLE_WHILE_OPEN
        if locked.status == Status.OPEN
        else ALWAYS_EDITABLE
    )
    errors = {}
    for name, value in fields.items():
        if getattr(locked, name) != value and name not in editable:
            errors[name] = _("The rules of a round cannot change once it is %(status)s.") % {
                "status": locked.get_status_display()
            }
        setattr(locked, name, value)
    if errors:
        raise ValidationError(errors)
    _clean_rules(locked, actor)
    locked.save()
    return locked


@transaction.atomic
def round_set_status(
    *, venture_round: VentureRound, status: str, actor: Actor, on: date | None = None
) -> VentureRound:
    """Move the round one step on; moving to "awarded" marks every undecided application not awarded.

    `on` lets the system (a SystemActor) replay a past round; users always act today.
    """
    today = on if (is_system(actor) and on) else timezone.localdate()
    now = (
        timezone.now()
        if today == timezone.localdate()
        else timezone.make_aware(datetime.combine(today, time(17)))
    )
    require_round_manager(actor, venture_round)
    locked = VentureRound.objects.select_for_update().get(pk=venture_round.pk)
    if status == locked.status:
        return locked
    if status not in TRANSITIONS.get(locked.status, set()):
        allowed = "、".join(str(Status(s).label) for s in sorted(TRANSITIONS.get(locked.status, set())))
        message = _("A round that is “%(current)s” cannot become “%(new)s”; next: %(allowed)s.") % {
            "current": locked.get_status_display(),
            "new": Status(status).label if status in Status.values else status,
            "allowed": allowed or "—",
        }
        raise refusal(message, "bad_transition", "status")
    if status == Status.OPEN and locked.closes_on < today:
        message = _("The closing date (%(date)s) has passed; move it before opening the round.") % {
            "date": locked.closes_on.isoformat()
        }
        raise refusal(message, "closed_already", "status")
    if status == Status.REVIEWING:
        missing = []
        if not locked.criteria.exists():
            missing.append(_("at least one review criterion"))
        if not locked.reviewer_links.exists():
            missing.append(_("at least one reviewer"))
        if missing:
            raise ValidationError(
                {
                    "status": _("Review cannot start without %(missing)s.")
                    % {"missing": _(" and ").join(missing)}
                }
            )
    if status == Status.AWARDED:
        locked.applications.filter(status=VentureApplication.Status.SUBMITTED).update(
            status=VentureApplication.Status.NOT_AWARDED, decided_at=now, decided_by=as_user(actor)
        )
    if status == Status.PUBLISHED:
        locked.published_at = now
    locked.status = status
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


def _require_status(venture_round: VentureRound, allowed: set, what: str) -> None:
    if venture_round.status not in allowed:
        message = _("%(what)s cannot change once the round is “%(status)s”.") % {
            "what": what,
            "status": venture_round.get_status_display(),
        }
        raise refusal(message, "round_frozen")


@transaction.atomic
def criterion_add(
    *,
    venture_round: VentureRound,
    name: str,
    max_score: int,
    actor: Actor,
    description: str = "",
    position: int = 0,
) -> ReviewCriterion:
    require_round_manager(actor, venture_round)
    _require_status(venture_round, CRITERIA_EDITABLE, _("The review criteria"))
    criterion = ReviewCriterion(
        round=venture_round,
        name=(name or "").strip(),
        max_score=max_score,
        description=description,
        position=position,
    )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_update(*, criterion: ReviewCriterion, actor: Actor, **fields: Any) -> ReviewCriterion:
    require_round_manager(actor, criterion.round)
    _require_status(criterion.round, CRITERIA_EDITABLE, _("The review criteria"))
    for name, value in fields.items():
        if name not in {"name", "max_score", "description", "position"}:
            raise TypeError(f"Criterion field not editable: {name}")
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: ReviewCriterion, actor: Actor) -> None:
    require_round_manager(actor, criterion.round)
    _require_status(criterion.round, CRITERIA_EDITABLE, _("The review criteria"))
    criterion.delete()


@transaction.atomic
def reviewer_assign(*, venture_round: VentureRound, reviewer: User, actor: Actor) -> RoundReviewer:
    require_round_manager(actor, venture_round)
    _require_status(venture_round, REVIEWERS_EDITABLE, _("The reviewers"))
    if reviewer is None or not reviewer.is_active:
        raise ValidationError({"reviewer": _("Choose an active user as reviewer.")})
    link = RoundReviewer(round=venture_round, reviewer=reviewer)
    link.full_clean()
    link.save()
    notification_send(
        recipient=reviewer,
        title=_("You review the venture round “%(round)s”") % {"round": venture_round},
        body=_("Score its applications in the portal once the review starts."),
        url=reverse("alliances_portal:reviews"),
        dedupe_key=f"venture-reviewer:{venture_round.pk}",
    )
    return link


@transaction.atomic
def reviewer_remove(*, link: RoundReviewer, actor: Actor) -> None:
    require_round_manager(actor, link.round)
    _require_status(link.round, REVIEWERS_EDITABLE, _("The reviewers"))
    if link.reviewer.venture_reviews.filter(application__round=link.round).exists():
        raise ValidationError(
            {
                "reviewer": _("%(user)s has already scored applications of this round and stays a reviewer.")
                % {"user": link.reviewer}
            }
        )
    link.delete()
