"""Democratic appraisal (民主评议党员): open the year's appraisal, record each member's result and the
follow-up of an unqualified one. The actor acts for the party organization (its secretary, subtree, or
staff over it: events.services.scope.require_organizer); None is the system, as in the rest of events/.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, require_actor
from accounts.recorded_by import recorded_by
from branches.models import PartyOrganization
from events.models import Appraisal, AppraisalFollowUp, AppraisalResult, Event
from events.services.scope import require_organizer
from members.models import Member

EARLIEST_YEAR = 2000
Result = AppraisalResult.Result
Action = AppraisalFollowUp.Action


def appraised_members(party_organization: PartyOrganization, year: int) -> QuerySet[Member]:
    """Who is appraised: the organization's active probationary and full members admitted by year end."""
    return Member.objects.filter(
        party_organization=party_organization,
        status=Member.Status.ACTIVE,
        stage__in=[Member.Stage.PROBATIONARY, Member.Stage.FULL],
        admitted_on__lte=date(year, 12, 31),
    )


def _meeting_errors(meeting: Event | None, party_organization: PartyOrganization, year: int) -> dict:
    if meeting is None:
        return {}
    if (
        meeting.kind != Event.Kind.DEMOCRATIC_APPRAISAL
        or meeting.party_organization_id != party_organization.pk
    ):
        return {"meeting": _("Choose a democratic appraisal meeting of this party organization.")}
    if timezone.localtime(meeting.starts_at).year != year:
        return {"meeting": _("The meeting must take place in %(year)d.") % {"year": year}}
    return {}


@transaction.atomic
def appraisal_open(
    *, party_organization: PartyOrganization, year: int, actor: Actor, meeting: Event | None = None
) -> Appraisal:
    """Open (or complete) the year's appraisal: one empty result per appraised member. Run again, it adds
    members who joined since and links the meeting when given; results already recorded stay."""
    require_organizer(actor, party_organization=party_organization)
    today = timezone.localdate()
    errors = {}
    if not (EARLIEST_YEAR <= year <= today.year):
        errors["year"] = _("Choose a year from %(first)d to this year.") % {"first": EARLIEST_YEAR}
    else:
        errors.update(_meeting_errors(meeting, party_organization, year))
    if errors:
        raise ValidationError(errors)
    appraisal, _created = Appraisal.objects.get_or_create(party_organization=party_organization, year=year)
    if meeting is not None and appraisal.meeting_id != meeting.pk:
        appraisal.meeting = meeting
        appraisal.save(update_fields=["meeting"])
    AppraisalResult.objects.bulk_create(
        [
            AppraisalResult(appraisal=appraisal, member_id=pk)
            for pk in appraised_members(party_organization, year).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    return appraisal


@transaction.atomic
def appraisal_result_record(
    *, result: AppraisalResult, value: str, reason: str = "", actor: Actor
) -> AppraisalResult:
    require_actor(actor)
    result = (
        AppraisalResult.objects.select_for_update()
        .select_related("appraisal__party_organization")
        .get(pk=result.pk)
    )
    require_organizer(actor, party_organization=result.appraisal.party_organization)
    reason = (reason or "").strip()
    if value not in Result.values:
        raise ValidationError(
            {"result": _("Choose excellent, qualified, basically qualified or unqualified.")}
        )
    if value in AppraisalResult.NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Give the reason for this result.")})
    if value != Result.UNQUALIFIED and result.follow_ups.exists():
        raise ValidationError(
            {"result": _("Follow-up measures are recorded for this unqualified result; it cannot change.")}
        )
    result.result, result.reason = value, reason
    result.set_recorder(actor)
    result.recorded_at = timezone.now()
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def appraisal_follow_up_record(
    *,
    result: AppraisalResult,
    action: str,
    on: date | None,
    actor: Actor,
    until: date | None = None,
    note: str = "",
) -> AppraisalFollowUp:
    """A measure taken about an unqualified member, with its date (and the correction's deadline)."""
    require_actor(actor)
    result = AppraisalResult.objects.select_related("appraisal__party_organization").get(pk=result.pk)
    require_organizer(actor, party_organization=result.appraisal.party_organization)
    errors = {}
    if result.result != Result.UNQUALIFIED:
        errors["result"] = _("Follow-up measures are for unqualified results only.")
    if action not in Action.values:
        errors["action"] = _("Choose the measure taken.")
    if on is None or on > timezone.localdate() or on < date(result.appraisal.year, 1, 1):
        errors["on"] = _("Enter a date from the appraisal's year up to today.")
    if action == Action.CORRECTION and (until is None or (on is not None and until <= on)):
        errors["until"] = _("A limited-time correction needs its deadline, after the start.")
    if errors:
        raise ValidationError(errors)
    assert on is not None  # refused above
    follow_up = AppraisalFollowUp(
        result=result,
        action=action,
        on=on,
        until=until if action == Action.CORRECTION else None,
        note=(note or "").strip(),
        **recorded_by(actor),
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up
