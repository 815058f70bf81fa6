import pytest

from members.demo import PARTY_MEMBERS, seed_members
from members.id_numbers import parse_id_number
from members.models import Member, RecruitmentRecord
from members.services.periods import not_full_member_on
from members.services.stages import candidate_errors

pytestmark = pytest.mark.django_db


def test_seed_members_without_party_organizations_is_noop(regions):
    assert seed_members()["members"] == 0
    assert not Member.objects.exists()


def test_seed_members_people_in_every_stage_with_valid_numbers(pos):
    counts = seed_members()
    assert counts["members"] == Member.objects.count()
    assert Member.objects.filter(stage__in=["full", "probationary"]).count() == PARTY_MEMBERS
    assert set(Member.objects.values_list("stage", flat=True)) == set(Member.Stage.values)
    for member in Member.objects.all():
        assert parse_id_number(member.id_number).warnings == []
    assert not Member.objects.filter(party_organization=pos.temporary).exclude(stage="full").exists()
    assert counts["posts"] > 0


def test_seed_members_candidates_meet_the_candidate_rules(pos):
    seed_members()
    for member in Member.objects.filter(stage="candidate"):
        assert candidate_errors(member, member.candidate_on) == {}, member


def test_seed_members_second_run_writes_nothing(pos):
    seed_members()
    count = Member.objects.count()
    assert seed_members()["members"] == 0
    assert Member.objects.count() == count


def test_seed_members_introducers_were_full_members_on_the_candidate_day(pos):
    seed_members()
    people = Member.objects.filter(stage__in=["candidate", "probationary"]).prefetch_related("introducers")
    assert people.exists()
    for member in people:
        introducers = list(member.introducers.all())
        assert len(introducers) == 2, member
        assert member.candidate_on is not None, member
        for person in introducers:
            assert not_full_member_on(person, member.candidate_on) == "", (member, person)


def test_seed_members_walked_on_through_the_stage_services(pos):
    seed_members()
    probationary = Member.objects.filter(stage="probationary")
    assert probationary.exists()
    for member in probationary:
        steps = list(member.stage_changes.order_by("on", "pk").values_list("from_stage", "to_stage", "on"))
        assert steps == [
            ("", "activist", member.activist_on),
            ("activist", "candidate", member.candidate_on),
            ("candidate", "probationary", member.admitted_on),
        ]
        kinds = set(RecruitmentRecord.objects.filter(member=member).values_list("kind", flat=True))
        assert {"development_plan", "application_form"} <= kinds
        assert member.contacts.count() == 1
    for member in Member.objects.filter(stage="full").exclude(stage_changes__from_stage="candidate"):
        assert list(member.stage_changes.values_list("from_stage", "to_stage")) == [("", "full")]
        assert not member.contacts.exists()  # a full member registered as such names no cultivation contact
