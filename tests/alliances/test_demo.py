"""The demo: Jing'an's five alliances with members and programs, pairings, grid records, one published
round with results (pool respected) and one open red round; a second run writes nothing."""

import pytest
from django.db.models import Sum

from accounts.demo import seed_users
from accounts.models import User
from alliances.demo import seed_alliances
from alliances.models import (
    Alliance,
    AllianceMembership,
    GridServiceRecord,
    Pairing,
    Program,
    VentureApplication,
    VentureRound,
)
from alliances.selectors import with_beneficiaries_reached
from branches.demo import seed_party_organizations
from orgs.demo.organizations import flagship_organization, seed_organizations
from orgs.demo.regions import seed_regions

pytestmark = pytest.mark.django_db


def test_demo_without_district_does_nothing():
    assert seed_alliances() == {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
    assert not Alliance.objects.exists()


def test_demo_alliances_rounds_shaped_on_seeds_and_idempotent():
    # given the demo district, accounts, registry and party tree
    seed_regions()
    seed_users()
    seed_organizations()
    User.objects.filter(username="contact").update(organization=flagship_organization())
    seed_party_organizations()
    # when
    created = seed_alliances()
    # then: the five alliances, each with members and programs
    kinds = set(Alliance.objects.values_list("kind", flat=True))
    assert kinds == {
        "youth_volunteering",
        "community_service",
        "social_mediation",
        "public_charity",
        "elderly_service",
    }
    for alliance in Alliance.objects.all():
        assert AllianceMembership.objects.filter(alliance=alliance, left_on__isnull=True).count() >= 2
        assert alliance.programs.count() >= 2
        assert alliance.party_organization is not None
    assert Program.objects.filter(name="春芽人才发展基金").exists()
    assert Program.objects.filter(name__contains="乡村教师").exists()
    assert all(p.beneficiaries_reached > 0 for p in with_beneficiaries_reached(Program.objects.all()))
    assert Pairing.objects.filter(partner_kind="hospital").exists()
    assert Pairing.objects.filter(organization=flagship_organization()).exists()
    assert GridServiceRecord.objects.filter(grid_pairing__organization=flagship_organization()).count() == 6
    # one published round with results within its pool, one open red round
    published = VentureRound.objects.get(status="published")
    awarded = published.applications.filter(status__in=["awarded", "completed"])
    assert awarded.count() == 8
    assert awarded.aggregate(total=Sum("awarded_amount"))["total"] <= published.fund_pool
    assert published.applications.filter(status="completed").count() == 8
    assert published.applications.filter(reviews__isnull=True).count() == 0
    open_round = VentureRound.objects.get(status="open")
    assert open_round.kind == "red"
    assert VentureApplication.objects.filter(round=open_round, organization=flagship_organization()).exists()
    assert created["rounds"] == 2
    # a second run writes nothing
    counts = [m.objects.count() for m in (Alliance, Program, Pairing, GridServiceRecord, VentureApplication)]
    assert seed_alliances() == {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
    assert counts == [
        m.objects.count() for m in (Alliance, Program, Pairing, GridServiceRecord, VentureApplication)
    ]


def test_demo_grid_pairings_obey_the_grid_pairing_rules():
    from alliances.models import GridPairing
    from alliances.services.periods import grid_pairing_errors
    from orgs.services.status_history import registration_day

    # given the demo district, registry and party tree
    seed_regions()
    seed_users()
    seed_organizations()
    seed_party_organizations()
    # when
    seed_alliances()
    # then each grid pairing starts on or after its organization's registration, inside its active
    # periods, and its monthly records fall in its months
    grids = list(GridPairing.objects.select_related("organization"))
    assert len(grids) == 436
    for grid in grids:
        assert grid_pairing_errors(grid) == {}, grid
        assert grid.since >= (registration_day(grid.organization) or grid.since)
    for record in GridServiceRecord.objects.select_related("grid_pairing"):
        assert record.month >= record.grid_pairing.since.replace(day=1)
