"""Members brought through the recruitment stages by the services."""

import datetime as dt

from members.models import Member
from members.services.recruitment_steps import (
    recruitment_record,
)
from members.services.stages import (
    member_make_activist,
    member_make_candidate,
    member_record_political_review,
    member_record_training,
    member_set_introducers,
)
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

D = dt.date


def talked_applicant(pos, **kw):
    """An applicant the branch has talked with (the talk is needed to make an activist)."""
    member = MemberFactory(
        party_organization=pos.branch_a, stage="applicant", applied_on=D(2022, 1, 10), **kw
    )
    if member.status == Member.Status.ACTIVE:
        recruitment_record(member=member, kind="talk", on=D(2022, 1, 20), actor=SYSTEM)
    return member


def new_activist(pos, full_members):
    return member_make_activist(
        member=talked_applicant(pos), on=D(2022, 3, 1), contacts=full_members[:1], actor=SYSTEM
    )


def ready_activist(pos, full_members):
    """An activist meeting every candidate rule except the date."""
    member = new_activist(pos, full_members)
    member_set_introducers(member=member, introducers=full_members[:2], actor=SYSTEM)
    member_record_training(member=member, hours=24, days=0, actor=SYSTEM)
    member_record_political_review(member=member, passed_on=D(2023, 2, 1), actor=SYSTEM)
    for day in (D(2022, 9, 1), D(2023, 2, 20)):  # reviewed every six months
        recruitment_record(member=member, kind="activist_review", on=day, actor=SYSTEM)
    recruitment_record(member=member, kind="development_plan", on=D(2023, 1, 10), actor=SYSTEM)
    return member


def candidate_for_vote(pos, full_members):
    """A candidate with the application form (志愿书) recorded, ready for the vote."""
    member = member_make_candidate(
        member=ready_activist(pos, full_members),
        on=D(2023, 3, 1),
        document="发展〔2023〕1号",
        actor=SYSTEM,
    )
    recruitment_record(
        member=member, kind="application_form", on=D(2023, 3, 5), number="志愿书0001", actor=SYSTEM
    )
    return member
