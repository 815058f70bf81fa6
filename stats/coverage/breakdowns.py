"""Shapes the engine's grouped rows into the figures dict (the keys of the API, the command and snapshots).

Everything here works on aggregate rows (one per group, street or should-build
organization), never on per-organization ORM objects. The dict is
language-neutral: codes and database names only, labels are the renderers' job.
"""

from decimal import ROUND_HALF_UP, Decimal

from branches.models import PartyOrganization
from members.models import Member
from orgs.models import Organization
from stats.coverage.sql import COUNT_COLUMNS, MODE_RANK

RATIO_QUANTUM = Decimal("0.0001")
HEADLINE_KEYS = (
    "total",
    "single",
    "joint",
    "fallback",
    "org_covered",
    "org_coverage",
    "work_covered",
    "work_coverage",
    "should_build",
)
MODE_OF_RANK = {rank: mode for mode, rank in MODE_RANK.items()}


def ratio(part: int, whole: int) -> float | None:
    """part / whole as a decimal fraction rounded half-up to 4 places; None when whole is 0."""
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP))


def org_figures(counts: dict) -> dict:
    """The headline figures from the six counts (total, single, joint, fallback, work_covered,
    should_build)."""
    total = counts["total"]
    org_covered = counts["single"] + counts["joint"] + counts["fallback"]
    return {
        "total": total,
        "single": counts["single"],
        "joint": counts["joint"],
        "fallback": counts["fallback"],
        "org_covered": org_covered,
        "org_coverage": ratio(org_covered, total),
        "work_covered": counts["work_covered"],
        "work_coverage": ratio(org_covered + counts["work_covered"], total),
        "should_build": counts["should_build"],
    }


def _zero_counts() -> dict:
    return dict.fromkeys(COUNT_COLUMNS, 0)


class GroupCounts:
    """Counts of one group (the whole scope, a street, a kind, a mode) and of its large subset."""

    def __init__(self):
        self.counts = _zero_counts()
        self.large = _zero_counts()

    def add_row(self, row: dict) -> None:
        for name in COUNT_COLUMNS:
            self.counts[name] += int(row[name] or 0)
            self.large[name] += int(row[f"large_{name}"] or 0)

    def figures(self) -> dict:
        return {**org_figures(self.counts), "large": org_figures(self.large)}


class StreetRow:
    """One street's line: organization figures plus its party organizations and members."""

    def __init__(self, region_id, code, name):
        self.region_id, self.code, self.name = region_id, code, name
        self.orgs = GroupCounts()
        self.po_by_kind = dict.fromkeys(PartyOrganization.Kind.values, 0)
        self.po_by_mode = dict.fromkeys(PartyOrganization.BuildingMode.values, 0)
        self.members_by_stage = dict.fromkeys(Member.Stage.values, 0)

    def is_empty(self) -> bool:
        return not (
            self.orgs.counts["total"] or any(self.po_by_kind.values()) or any(self.members_by_stage.values())
        )

    def as_dict(self) -> dict:
        return {
            "region_id": self.region_id,
            "code": self.code,
            "name": self.name,
            **self.orgs.figures(),
            "party_organizations_by_kind": self.po_by_kind,
            "party_organizations_by_mode": self.po_by_mode,
            "members_by_stage": self.members_by_stage,
        }


class ScopeFigures:
    """Collects the four statements' rows for one region and returns the figures dict."""

    def __init__(self, region, day, org_filter, thresholds: dict):
        self.region, self.day, self.org_filter, self.thresholds = region, day, org_filter, thresholds
        self.all = GroupCounts()
        self.by_kind = {kind: GroupCounts() for kind in Organization.Kind.values}
        self.by_mode = {mode: GroupCounts() for mode in Organization.ManagementMode.values}
        self.streets: dict[int | None, StreetRow] = {}
        self.should_build_rows: list[dict] = []
        self.po_by_kind = dict.fromkeys(PartyOrganization.Kind.values, 0)
        self.po_by_mode = dict.fromkeys(PartyOrganization.BuildingMode.values, 0)
        self.members_by_stage = dict.fromkeys(Member.Stage.values, 0)

    def add_street(self, region_id, code, name) -> None:
        self.streets[region_id] = StreetRow(region_id, code, name)

    def _street(self, street_id) -> StreetRow:
        if street_id not in self.streets:  # an organization directly under the district (no street)
            self.streets[street_id] = StreetRow(street_id, None, None)
        return self.streets[street_id]

    def add_org_row(self, row: dict) -> None:
        group = row["grp"]
        if group == "street":
            self._street(row["street_id"]).orgs.add_row(row)
        elif group == "kind_mode":  # every organization has one kind and one mode: the rows partition
            self.all.add_row(row)
            self.by_kind.setdefault(row["kind"], GroupCounts()).add_row(row)
            self.by_mode.setdefault(row["management_mode"], GroupCounts()).add_row(row)
        elif group == "list":
            self.should_build_rows.append(row)

    def add_party_organizations(self, street_id, kind, mode, count: int) -> None:
        street = self._street(street_id)
        for totals in (self, street):
            totals.po_by_kind[kind] = totals.po_by_kind.get(kind, 0) + count
            if mode:  # comprehensive committees have no building mode
                totals.po_by_mode[mode] = totals.po_by_mode.get(mode, 0) + count

    def add_members(self, street_id, stage, count: int) -> None:
        for totals in (self, self._street(street_id)):
            totals.members_by_stage[stage] = totals.members_by_stage.get(stage, 0) + count

    def _should_build_list(self) -> list[dict]:
        items = []
        for row in self.should_build_rows:
            street = self.streets.get(row["street_id"])
            items.append(
                {
                    "id": row["org_id"],
                    "name": row["org_name"],
                    "street": street.name if street else None,
                    "street_code": street.code if street else None,
                    "kind": row["kind"],
                    "management_mode": row["management_mode"],
                    "staff_count": row["staff_count"],
                    "full_members": row["full_members"],
                    "coverage": MODE_OF_RANK.get(row["mode_rank"]),
                }
            )
        items.sort(key=lambda item: (item["street_code"] or "", item["name"], item["id"]))
        return items

    def as_dict(self) -> dict:
        headline = self.all.figures()
        large = headline.pop("large")
        streets = sorted(
            (row for row in self.streets.values() if row.code is not None or not row.is_empty()),
            key=lambda row: (row.code is None, row.code or ""),
        )
        return {
            "region": {
                "id": self.region.pk,
                "code": self.region.code,
                "name": self.region.name,
                "kind": self.region.kind,
            },
            "date": self.day.isoformat(),
            "filters": self.org_filter.as_dict(),
            "thresholds": self.thresholds,
            **headline,
            "should_build_list": self._should_build_list(),
            "large": large,
            "party_organizations_by_kind": self.po_by_kind,
            "party_organizations_by_mode": self.po_by_mode,
            "members_by_stage": self.members_by_stage,
            "by_street": [row.as_dict() for row in streets],
            "by_kind": {kind: counts.figures() for kind, counts in self.by_kind.items()},
            "by_management_mode": {mode: counts.figures() for mode, counts in self.by_mode.items()},
        }
