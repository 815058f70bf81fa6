"""The demo's temporary and flowing members and party-school class: written once, inside the demo tree."""

import pytest

from accounts.actors import DEMO_SEEDER
from events.demo_classes import seed_party_class
from events.models import PartyClass
from events.selectors_classes import class_credits, completed
from members.demo import seed_members
from members.demo_affiliations import seed_affiliations
from members.models import AffiliationRecord, Member

pytestmark = pytest.mark.django_db


def test_seeders_without_demo_tree_are_noops(regions):
    assert seed_affiliations() == 0 and seed_party_class() == 0
    assert not AffiliationRecord.objects.exists() and not PartyClass.objects.exists()


def test_seed_affiliations_one_of_each_once(pos):
    seed_members()
    assert seed_affiliations() == 2
    temporary, flowing = (AffiliationRecord.objects.get(kind=kind) for kind in ("temporary", "flowing"))
    assert temporary.holding_party_organization == pos.temporary and temporary.formal_party_organization
    assert flowing.contact_party_organization == flowing.member.party_organization
    assert flowing.recorded_by_system == DEMO_SEEDER.name
    assert set(Member.objects.exclude(affiliation="formal").values_list("affiliation", flat=True)) == {
        "temporary",
        "flowing",
    }
    assert seed_affiliations() == 0
    assert AffiliationRecord.objects.count() == 2


def test_seed_party_class_trainees_sessions_and_one_incomplete(pos):
    seed_members()
    assert seed_party_class() == 1
    party_class = PartyClass.objects.get()
    assert party_class.sessions.count() == 4
    credits = class_credits(party_class)
    trainees = list(party_class.trainees.values_list("member_id", flat=True))
    assert len(trainees) >= 2
    done = [completed(*credits.get(pk, (0, 0))) for pk in trainees]
    assert done.count(False) == 1 and done.count(True) == len(trainees) - 1
    assert seed_party_class() == 0
    assert PartyClass.objects.count() == 1
