"""What the public home page shows besides articles: coverage headline figures and other apps' blocks.

An app's `<app>/public_home.py` has `home_block(request) -> {"template": str, "context": dict} | None`;
HOME_BLOCKS lists them in the order shown, between the articles and the coverage figures.
templates/public/home.html includes each block.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from alliances import public_home as alliances_home
from events import public_home as events_home
from members.models import PARTY_MEMBER_STAGES
from orgs.models import Region
from stats.selectors import UNSCOPED, snapshot_trend

HOME_BLOCKS = (alliances_home.home_block, events_home.home_block)  # alliances, then upcoming events


def extra_blocks(request: HttpRequest) -> list[dict]:
    return [block for home_block in HOME_BLOCKS if (block := home_block(request))]


HEADLINE_KEYS = ("total", "org_coverage", "work_coverage", "party_organizations_by_kind", "members_by_stage")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def coverage_headline() -> dict | None:
    """Headline figures of the district's latest coverage snapshot, or None when there is none.

    Read from the stored snapshot (stats.selectors), never recomputed and never
    made up; only the five headline keys are read, not the snapshot's lists. Aggregate counts
    only: no organization or person is named.
    """
    district = (
        Region.objects.filter(parent__isnull=True, kind=Region.Kind.DISTRICT, is_active=True)
        .order_by("code")
        .only("pk", "name")
        .first()
    )
    if district is None:
        return None
    rows = snapshot_trend(region=district, user=UNSCOPED, limit=1, keys=HEADLINE_KEYS)
    if not rows:
        return None
    figures = rows[0]
    party_organizations = sum((figures.get("party_organizations_by_kind") or {}).values())
    stages = figures.get("members_by_stage") or {}
    party_members = sum(stages.get(stage, 0) for stage in PARTY_MEMBER_STAGES)
    return {
        "region": district.name,
        "date": figures["date"],
        "items": [
            {"label": _("Social organizations"), "value": figures.get("total") or 0},
            {"label": _("Party organizations"), "value": party_organizations},
            {
                "label": _("Party members"),
                "value": party_members,
            },
            {"label": _("Organization coverage"), "value": _percent(figures.get("org_coverage"))},
            {"label": _("Work coverage"), "value": _percent(figures.get("work_coverage"))},
        ],
    }
