"""What the public home page shows besides articles: coverage headline figures and other apps' blocks.

Extension point for the apps still to come (alliances, events): an installed app that has a
module `<app>/public_home.py` with `home_block(request) -> {"template": str, "context": dict}`
gets its block rendered on the home page, in HOME_BLOCK_APPS order, between the articles and
the coverage figures. Nothing else to wire: templates/public/home.html includes each block.
"""

from importlib import import_module

from django.apps import apps
from django.utils.translation import gettext as _

from members.models import PARTY_MEMBER_STAGES

HOME_BLOCK_APPS = ("alliances", "events")  # alliances first, then upcoming public events


def extra_blocks(request) -> list[dict]:
    blocks = []
    for app in HOME_BLOCK_APPS:
        if not apps.is_installed(app):
            continue
        try:
            module = import_module(f"{app}.public_home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.public_home":
                raise  # the hook exists but is broken: say so, never hide it
            continue
        block = module.home_block(request)
        if block:
            blocks.append(block)
    return blocks


HEADLINE_KEYS = ("total", "org_coverage", "work_coverage", "party_organizations_by_kind", "members_by_stage")


def _percent(value) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def coverage_headline() -> dict | None:
    """Headline figures of the district's latest coverage snapshot, or None when there is none.

    Read from the stored snapshot (stats.selectors), never recomputed and never
    made up; only the five headline keys are read, not the snapshot's lists. Aggregate counts
    only: no organization or person is named.
    """
    try:
        from stats.selectors import snapshot_trend
    except ImportError:  # the coverage engine is not there: show nothing
        return None
    from orgs.models import Region

    district = (
        Region.objects.filter(parent__isnull=True, kind=Region.Kind.DISTRICT, is_active=True)
        .order_by("code")
        .only("pk", "name")
        .first()
    )
    if district is None:
        return None
    rows = snapshot_trend(region=district, limit=1, keys=HEADLINE_KEYS)
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
