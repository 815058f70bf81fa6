"""After the award: milestones (set by staff, reported by the organization, accepted by staff) and
the final evaluation that completes a project."""

from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, require_actor
from alliances.models import FinalEvaluation, ProjectMilestone, VentureApplication
from alliances.services.actors import require_acts_for, require_round_manager, require_visible

AWARDED = VentureApplication.Status.AWARDED


def _require_awarded(application: VentureApplication) -> None:
    if application.status != AWARDED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: ValidationError(
                    _("Only an awarded project in progress has milestones; this one is “%(status)s”.")
                    % {"status": application.get_status_display()},
                    code="not_awarded",
                )
            }
        )


@transaction.atomic
def project_milestone_add(
    *, application: VentureApplication, title: str, due_on: date, actor: Actor
) -> ProjectMilestone:
    require_visible(actor, application=application)
    application = VentureApplication.objects.select_related("round").get(pk=application.pk)
    require_round_manager(actor, application.round)
    _require_awarded(application)
    milestone = ProjectMilestone(application=application, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_report(*, milestone: ProjectMilestone, report: str, actor: Actor) -> ProjectMilestone:
    """The organization files (or re-files, until accepted) its report on a milestone."""
    require_actor(actor)
    locked = (
        ProjectMilestone.objects.select_for_update()
        .select_related("application__organization")
        .get(pk=milestone.pk)
    )
    require_acts_for(actor, locked.application.organization)
    _require_awarded(locked.application)
    if locked.accepted_at is not None:
        raise ValidationError(
            {
                "report": _("This milestone was accepted on %(date)s; its report can no longer change.")
                % {"date": timezone.localtime(locked.accepted_at).date().isoformat()}
            }
        )
    if not (report or "").strip():
        raise ValidationError({"report": _("Write the report: what was done for this milestone.")})
    locked.report = report.strip()
    locked.reported_at = timezone.now()
    locked.reported_by = as_user(actor)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def milestone_accept(*, milestone: ProjectMilestone, actor: Actor, note: str = "") -> ProjectMilestone:
    require_actor(actor)
    locked = (
        ProjectMilestone.objects.select_for_update().select_related("application__round").get(pk=milestone.pk)
    )
    require_visible(actor, milestone=locked)
    require_round_manager(actor, locked.application.round)
    if locked.reported_at is None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "“%(title)s” has no report yet; it can be accepted once the organization files one."
                )
                % {"title": locked.title}
            }
        )
    if locked.accepted_at is None:
        locked.accepted_at = timezone.now()
        locked.accepted_by = as_user(actor)
    locked.staff_note = (note or "").strip()
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def final_evaluation_record(
    *, application: VentureApplication, score: int, text: str, evaluated_on: date, actor: Actor
) -> FinalEvaluation:
    """Evaluate a project once every milestone is accepted; the project becomes completed."""
    require_visible(actor, application=application)
    locked = VentureApplication.objects.select_for_update().select_related("round").get(pk=application.pk)
    require_round_manager(actor, locked.round)
    _require_awarded(locked)
    errors = {}
    maximum = settings.VENTURE_EVALUATION_MAX_SCORE
    if score is None or not 0 <= score <= maximum:
        errors["score"] = _("The evaluation score is from 0 to %(max)d.") % {"max": maximum}
    if not (text or "").strip():
        errors["text"] = _("Write the evaluation.")
    if evaluated_on is None or evaluated_on > timezone.localdate():
        errors["evaluated_on"] = _("Give the day of the evaluation (not in the future).")
    pending = locked.milestones.filter(accepted_at__isnull=True).count()
    if pending:
        errors[NON_FIELD_ERRORS] = _("%(count)d milestone(s) of this project are not accepted yet.") % {
            "count": pending
        }
    if errors:
        raise ValidationError(errors)
    evaluation = FinalEvaluation(
        application=locked,
        score=score,
        text=text.strip(),
        evaluated_on=evaluated_on,
        evaluated_by=as_user(actor),
    )
    evaluation.full_clean()
    evaluation.save()
    locked.status = VentureApplication.Status.COMPLETED
    locked.save(update_fields=["status"])
    return evaluation
