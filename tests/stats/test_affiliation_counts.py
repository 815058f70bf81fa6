"""Temporary and flowing members in the coverage figures: counted on a day by the periods valid on it."""

import datetime as dt

import pytest

from accounts.actors import SystemActor
from members.services.affiliations import affiliation_start
from stats.coverage.engine import coverage_figures
from stats.coverage.table import render_table
from tests.members.conftest import pos  # noqa: F401  (shared fixture)
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("tests")


def test_coverage_counts_temporary_and_flowing_members_on_the_day(pos, regions):  # noqa: F811
    away = MemberFactory(party_organization=pos.branch_a)
    held = MemberFactory(party_organization=pos.branch_a)
    affiliation_start(
        member=away,
        kind="flowing",
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
        location="深圳",
        contact_party_organization=pos.branch_a,
        actor=SYSTEM,
    )
    affiliation_start(
        member=held,
        kind="temporary",
        starts_on=dt.date(2025, 1, 1),
        formal_outside_body="外地某党支部",
        holding_party_organization=pos.temporary,
        actor=SYSTEM,
    )

    in_2023 = coverage_figures(region=regions.district, day=dt.date(2023, 6, 30))
    in_2025 = coverage_figures(region=regions.district, day=dt.date(2025, 6, 30))

    assert in_2023.members_by_affiliation == {"temporary": 0, "flowing": 1}
    assert in_2025.members_by_affiliation == {"temporary": 1, "flowing": 0}
    assert in_2025.members_by_stage["full"] == 2  # counted once each, whatever their affiliation
    street_a = in_2025.street(regions.street_a.pk)
    assert street_a is not None
    assert street_a.members_by_affiliation == {"temporary": 1, "flowing": 0}
    assert "Temporary members: 1; flowing members: 0" in render_table(in_2025)
    # the snapshot form keeps them
    assert type(in_2025).from_dict(in_2025.to_dict()).members_by_affiliation == in_2025.members_by_affiliation
