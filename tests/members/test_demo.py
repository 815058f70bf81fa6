import pytest

from members.demo import PARTY_MEMBERS, seed_members
from members.id_numbers import parse_id_number
from members.models import Member
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
