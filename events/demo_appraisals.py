"""Demo: one democratic appraisal in the demo district (last year's, at its appraisal meeting), with
every member's result, one 基本合格 with its reason and one 不合格 with a limited-time correction.
Idempotent: an appraisal already there is left as it is. Nothing outside the demo district is read."""

from datetime import date

from django.utils import timezone

from accounts.actors import DEMO_SEEDER
from events.models import Appraisal, AppraisalResult, Event
from events.services.appraisals import appraisal_follow_up_record, appraisal_open, appraisal_result_record
from orgs.demo.regions import DISTRICT_CODE
from orgs.models import Region
from orgs.querysets import in_region_q

R = AppraisalResult.Result


def seed_appraisal(today: date | None = None) -> int:
    district = Region.objects.filter(code=DISTRICT_CODE, parent__isnull=True).first()
    if district is None:
        return 0
    today = today or timezone.localdate()
    year = today.year - 1
    meetings = Event.objects.filter(
        in_region_q(district, "party_organization__region__"),
        kind=Event.Kind.DEMOCRATIC_APPRAISAL,
        status=Event.Status.HELD,
        starts_at__year=year,
    ).order_by("party_organization_id", "pk")
    meeting = next(
        (
            m
            for m in meetings
            if m.party_organization is not None and m.party_organization.members.count() >= 3
        ),
        None,
    )
    if (
        meeting is None
        or meeting.party_organization is None
        or Appraisal.objects.filter(party_organization=meeting.party_organization, year=year).exists()
    ):
        return 0
    appraisal = appraisal_open(
        party_organization=meeting.party_organization, year=year, meeting=meeting, actor=DEMO_SEEDER
    )
    results = list(appraisal.results.order_by("member_id"))
    for index, result in enumerate(results):
        if index == len(results) - 1 and len(results) >= 3:
            appraisal_result_record(
                result=result, value=R.UNQUALIFIED, reason="无正当理由连续不参加组织生活", actor=DEMO_SEEDER
            )
            appraisal_follow_up_record(
                result=result,
                action="correction",
                on=min(date(year + 1, 1, 10), today),  # early January: not a day still to come
                until=date(year + 1, 7, 10),
                note="支部谈话，限期半年改正",
                actor=DEMO_SEEDER,
            )
        elif index == len(results) - 2 and len(results) >= 3:
            appraisal_result_record(
                result=result, value=R.BASICALLY_QUALIFIED, reason="学习不够经常", actor=DEMO_SEEDER
            )
        else:
            appraisal_result_record(
                result=result, value=R.EXCELLENT if index % 4 == 0 else R.QUALIFIED, actor=DEMO_SEEDER
            )
    return 1
