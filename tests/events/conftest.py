"""events fixtures: the PoTree and its secretaries; an activist in a party-school class; an open appraisal."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Role
from events.models import Event
from events.services.appraisals import appraisal_open
from events.services.classes import party_class_add_session, party_class_create, party_class_enrol
from members.services.recruitment_steps import recruitment_record
from members.services.stages import (
    member_make_activist,
    member_record_political_review,
    member_set_introducers,
)
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.events.factories import at, make_event
from tests.members.factories import MemberFactory, PoTree, build_po_tree


@pytest.fixture
def pos(regions) -> PoTree:
    return build_po_tree(regions)


@pytest.fixture
def secretary_a(pos):
    """Secretary of branch A (street A)."""
    return UserFactory(role=Role.SECRETARY, username="sec_a", party_organization=pos.branch_a)


@pytest.fixture
def secretary_b(pos):
    return UserFactory(role=Role.SECRETARY, username="sec_b", party_organization=pos.branch_b)


@pytest.fixture
def activist(pos):
    full = [MemberFactory(party_organization=pos.branch_a) for _ in range(2)]
    applicant = MemberFactory(
        party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2023, 1, 10)
    )
    recruitment_record(member=applicant, kind="talk", on=dt.date(2023, 1, 20), actor=SYSTEM)
    member = member_make_activist(member=applicant, on=dt.date(2023, 3, 1), contacts=full[:1], actor=SYSTEM)
    member_set_introducers(member=member, introducers=full, actor=SYSTEM)
    member_record_political_review(member=member, passed_on=dt.date(2024, 2, 1), actor=SYSTEM)
    for day in (dt.date(2023, 9, 1), dt.date(2024, 2, 20)):
        recruitment_record(member=member, kind="activist_review", on=day, actor=SYSTEM)
    recruitment_record(member=member, kind="development_plan", on=dt.date(2024, 2, 25), actor=SYSTEM)
    return member


@pytest.fixture
def school(pos, activist, secretary_a):
    party_class = party_class_create(
        party_organization=pos.branch_a,
        name="2024年第1期积极分子培训班",
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 3, 31),
        actor=secretary_a,
    )
    party_class_enrol(party_class=party_class, member=activist, actor=secretary_a)
    sessions = []
    for day in (4, 11, 18):
        event = make_event(pos.branch_a, kind=Event.Kind.TRAINING, start=at(2024, 3, day), hours=8)
        sessions.append(
            party_class_add_session(
                party_class=party_class, event=event, class_hours=8, days=Decimal(1), actor=secretary_a
            )
        )
    return party_class, sessions


@pytest.fixture
def appraisal(pos, secretary_a):
    for name in ("甲", "乙", "丙"):
        MemberFactory(party_organization=pos.branch_a, name=name)
    MemberFactory(
        party_organization=pos.branch_a, stage="activist", admitted_on=None, full_on=None, candidate_on=None
    )
    meeting = make_event(
        pos.branch_a, kind=Event.Kind.DEMOCRATIC_APPRAISAL, start=at(2025, 12, 20), held=True
    )
    return appraisal_open(party_organization=pos.branch_a, year=2025, meeting=meeting, actor=secretary_a)
