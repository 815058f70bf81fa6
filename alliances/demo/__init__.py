"""Demo alliances, pairings, grid pairings and venture rounds, shaped on the seeds (DOMAIN.md).

Jing'an's five professional alliances (seed 000) with member organizations from the demo
registry, their brand programs (the 春芽 talent fund, the 爱飞翔 rural-teacher training, the
monthly caravan …) and paired hospitals, schools and companies; Pinghu's grid pairing (004);
Binhu's venture rules (003: at most 3 projects per organization, staff pay ≤ 50 %) in one
past round, reviewed, awarded within its pool, evaluated and published, and one red round
open now. Names of units are made up.

Alliances, programs and rounds go through alliances.services (as the named DEMO_SEEDER system actor); the
bulk of pairings (Jing'an's 103) and grid pairings (Pinghu's 30 growing to 436), with their
activities and monthly records, are written in bulk after the same checks (full_clean). Confined
and idempotent: everything is looked up inside the demo district only, and only what is missing
is written, so a second run writes nothing. Does nothing without the demo district.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from alliances.demo.alliances import seed_alliance_rows, seed_grid_pairings, seed_more_pairings, seed_pairing
from alliances.demo.common import FLAGSHIP_NAME, Seeder
from alliances.demo.rounds import seed_open_round, seed_past_round
from orgs.demo.scope import demo_district


def seed_alliances(today: date | None = None) -> dict[str, int]:
    """The demo's alliances, pairings, grid pairings and two venture rounds (missing rows only)."""
    district = demo_district()
    if district is None:
        return {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
    seeder = Seeder(district, today or timezone.localdate())
    with transaction.atomic():
        seed_alliance_rows(seeder)
        seed_more_pairings(seeder)
        flagship = seeder.orgs.filter(name=FLAGSHIP_NAME).first()
        if flagship is not None:
            community = flagship.region if flagship.region.kind == "community" else None
            partner = f"{community.name}居委会" if community else "和平社区居委会"
            seed_pairing(
                seeder, partner, "community", "为居民提供社工服务", "提供活动场地", organization=flagship
            )
        seed_grid_pairings(seeder)
    with transaction.atomic():
        seed_past_round(seeder)
        seed_open_round(seeder)
    return seeder.created
