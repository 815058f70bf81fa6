"""Shapes the engine's grouped rows into the typed result (stats.coverage.result).

Everything here works on aggregate rows (one per group or street) and on the per-organization rows
of the lists, never on ORM objects. The result is language-neutral: codes and database names only,
labels are the renderers' job.
"""

from datetime import date
from operator import add

from branches.models import PartyOrganization
from members.models import Member
from orgs.models import Organization
from stats.coverage.result import (
    EVIDENCE_FULL_MEMBERS,
    CoverageResult,
    Figures,
    OrgItem,
    RegionRef,
    ServiceCenters,
    StreetFigures,
    ratio,
)
from stats.coverage.sql import COUNT_COLUMNS, MODE_RANK, ORG_FIGURES_COLUMNS

AFFILIATIONS_COUNTED = (Member.Affiliation.TEMPORARY.value, Member.Affiliation.FLOWING.value)
# The choices' values, read once (Django's `.values` builds its list on every read: a snapshot's
# results read them for every scope and street).
PO_KINDS = tuple(PartyOrganization.Kind.values)
BUILDING_MODES = tuple(PartyOrganization.BuildingMode.values)
STAGES = tuple(Member.Stage.values)
REGISTRATIONS = tuple(Organization.Registration.values)
ORG_KINDS = tuple(Organization.Kind.values)
MANAGEMENT_MODES = tuple(Organization.ManagementMode.values)

MODE_OF_RANK = {rank: mode for mode, rank in MODE_RANK.items()}
# Lead evidence codes, in the order a list shows them.
EVIDENCE_INSPECTION = "inspection"  # the latest annual inspection declares a party organization or members
EVIDENCE_LARGE = "large"  # ≥ LARGE_ORG_MIN_STAFF staff


def org_figures(counts, large: Figures | None = None) -> Figures:
    """The headline figures from the six counts, in COUNT_COLUMNS' order (total, single, joint,
    fallback, work_covered, should_build)."""
    total, single, joint, fallback, work_covered, should_build = counts
    org_covered = single + joint + fallback
    return Figures.of(
        {
            "total": total,
            "single": single,
            "joint": joint,
            "fallback": fallback,
            "org_covered": org_covered,
            "org_coverage": ratio(org_covered, total),
            "work_covered": work_covered,
            "work_coverage": ratio(org_covered + work_covered, total),
            "should_build": should_build,
            "large": large,
        }
    )


# The organization statement's rows are tuples (ORG_FIGURES_COLUMNS): a dict per row cost a tenth of
# a snapshot's Python time. Positions of the columns read here; the counts are the last columns,
# COUNT_COLUMNS then the same for large organizations.
_AT = {name: i for i, name in enumerate(ORG_FIGURES_COLUMNS)}
_COUNTS_AT = _AT["total"]
_COUNT_WIDTH = 2 * len(COUNT_COLUMNS)
assert ORG_FIGURES_COLUMNS[_COUNTS_AT:] == (*COUNT_COLUMNS, *(f"large_{name}" for name in COUNT_COLUMNS))
_ORG_ID = _AT["org_id"]
assert ORG_FIGURES_COLUMNS[_AT["street_id"] : _COUNTS_AT] == (
    "street_id",
    "registration",
    "kind",
    "management_mode",
    "org_id",
    "org_name",
    "full_members",
    "mode_rank",
    "staff_count",
    "instructed",
    "sb",
    "declares",
    "declared_year",
    "declared_po",
    "declared_members",
    "large",
)
GRP, STREET_ID, REGISTRATION, KIND, MODE, ORG_NAME, INSTRUCTED = (
    _AT[n] for n in ("grp", "street_id", "registration", "kind", "management_mode", "org_name", "instructed")
)


def sort_list_rows(rows: list[tuple], street_codes: dict) -> tuple[list[tuple], list[tuple]]:
    """The organization statement's list rows (leads, uncovered) each in its lists' order, once for
    all scopes (`street_codes`: the code of each street a scope reports on, by id): by place (street
    code, then name and id), the uncovered list with the work-covered last. A scope given its rows in
    this order keeps it (ScopeFigures(lists_in_order=True)) instead of sorting its own lists: at L
    15,000 sorts of items by a key built per item."""
    leads = [row for row in rows if row[GRP] == "lead"]
    uncovered = [row for row in rows if row[GRP] == "uncovered"]
    leads.sort(key=lambda row: (street_codes.get(row[STREET_ID]) or "", row[ORG_NAME], row[_ORG_ID]))
    uncovered.sort(
        key=lambda row: (
            bool(row[INSTRUCTED]),
            street_codes.get(row[STREET_ID]) or "",
            row[ORG_NAME],
            row[_ORG_ID],
        )
    )
    return leads, uncovered


class GroupCounts:
    """Counts of one group (the whole scope, a street, a kind, a mode) and of its large subset:
    COUNT_COLUMNS' counts, then the same for large organizations."""

    __slots__ = ("values",)

    def __init__(self):
        self.values = [0] * _COUNT_WIDTH

    def add_row(self, row: tuple) -> None:
        self.values = list(map(add, self.values, row[_COUNTS_AT:]))

    @property
    def total(self) -> int:
        return self.values[0]

    def figures(self) -> Figures:
        if not self.values[0]:  # no organization: every count is 0 (each counts a subset of the total)
            return _NO_FIGURES
        half = len(COUNT_COLUMNS)
        return org_figures(self.values[:half], org_figures(self.values[half:]))


_NO_FIGURES = org_figures([0] * len(COUNT_COLUMNS), org_figures([0] * len(COUNT_COLUMNS)))  # frozen: shared


class StreetRow:
    """One street's line: organization figures plus its party organizations, members and centers."""

    def __init__(self, region_id, code, name):
        self.region_id, self.code, self.name = region_id, code, name
        self.orgs = GroupCounts()
        self.po_by_kind = dict.fromkeys(PO_KINDS, 0)
        self.po_by_mode = dict.fromkeys(BUILDING_MODES, 0)
        self.members_by_stage = dict.fromkeys(STAGES, 0)
        self.members_by_affiliation = dict.fromkeys(AFFILIATIONS_COUNTED, 0)
        self.centers = {
            "streets": 0,
            "streets_with_center": 0,
            "communities": 0,
            "communities_with_center": 0,
        }

    def is_empty(self) -> bool:
        return not (self.orgs.total or any(self.po_by_kind.values()) or any(self.members_by_stage.values()))

    def result(self) -> StreetFigures:
        return StreetFigures(
            region_id=self.region_id,
            code=self.code,
            name=self.name,
            figures=self.orgs.figures(),
            party_organizations_by_kind=self.po_by_kind,
            party_organizations_by_mode=self.po_by_mode,
            members_by_stage=self.members_by_stage,
            members_by_affiliation=self.members_by_affiliation,
            service_centers=ServiceCenters(**self.centers),
        )


class ScopeFigures:
    """Collects the two statements' rows for one region and returns its CoverageResult."""

    def __init__(
        self,
        region,
        day: date,
        org_filter,
        thresholds: dict,
        items: dict | None = None,
        *,
        lists_in_order: bool = False,
    ):
        self.region, self.day, self.org_filter, self.thresholds = region, day, org_filter, thresholds
        # the list rows come in their lists' order (sort_list_rows): kept, not sorted again
        self.lists_in_order = lists_in_order
        # OrgItem by organization id, shared by the scopes of one computation: an organization listed
        # for a district and for its street is the same item (its street is the same in both).
        self.items = {} if items is None else items
        self.all = GroupCounts()
        self.by_registration = {value: GroupCounts() for value in REGISTRATIONS}
        self.by_registration_mode = {
            registration: {mode: GroupCounts() for mode in MANAGEMENT_MODES} for registration in REGISTRATIONS
        }
        self.by_kind = {kind: GroupCounts() for kind in ORG_KINDS}
        self.by_mode = {mode: GroupCounts() for mode in MANAGEMENT_MODES}
        self.streets: dict[int | None, StreetRow] = {}
        self.lead_rows: list[tuple] = []
        self.uncovered_rows: list[tuple] = []
        self.po_by_kind = dict.fromkeys(PO_KINDS, 0)
        self.po_by_mode = dict.fromkeys(BUILDING_MODES, 0)
        self.members_by_stage = dict.fromkeys(STAGES, 0)
        self.members_by_affiliation = dict.fromkeys(AFFILIATIONS_COUNTED, 0)
        self.city_centers = 0

    def add_street(self, region_id, code, name) -> None:
        self.streets[region_id] = StreetRow(region_id, code, name)

    def _street(self, street_id) -> StreetRow:
        if street_id not in self.streets:  # an organization directly under the district (no street)
            self.streets[street_id] = StreetRow(street_id, None, None)
        return self.streets[street_id]

    def add_org_row(self, row: tuple) -> None:
        """One row of the organization statement (a tuple of ORG_FIGURES_COLUMNS)."""
        group = row[GRP]
        if group == "street":
            self._street(row[STREET_ID]).orgs.add_row(row)
        elif group == "kind_mode":  # every organization has one registration, kind and mode
            registration, kind, mode = row[REGISTRATION], row[KIND], row[MODE]
            self.all.add_row(row)
            for groups, key in (
                (self.by_registration, registration),
                (self.by_kind, kind),
                (self.by_mode, mode),
            ):
                counts = groups.get(key)
                if counts is None:
                    counts = groups[key] = GroupCounts()
                counts.add_row(row)
            modes = self.by_registration_mode.setdefault(registration, {})
            counts = modes.get(mode)
            if counts is None:
                counts = modes[mode] = GroupCounts()
            counts.add_row(row)
        elif group == "lead":
            self.lead_rows.append(row)
        elif group == "uncovered":
            self.uncovered_rows.append(row)

    def add_party_organizations(self, street_id, kind, mode, count: int) -> None:
        street = self._street(street_id)
        for totals in (self, street):
            totals.po_by_kind[kind] = totals.po_by_kind.get(kind, 0) + count
            if mode:  # comprehensive committees have no building mode
                totals.po_by_mode[mode] = totals.po_by_mode.get(mode, 0) + count

    def add_members(self, street_id, stage, affiliation, count: int) -> None:
        for totals in (self, self._street(street_id)):
            totals.members_by_stage[stage] = totals.members_by_stage.get(stage, 0) + count
            if affiliation in AFFILIATIONS_COUNTED:
                totals.members_by_affiliation[affiliation] += count

    def add_centers(self, street_id, kind: str, has_center: str, count: int) -> None:
        plural = "streets" if kind == "street" else "communities"
        street = self._street(street_id)
        street.centers[plural] += count
        if has_center == "yes":
            street.centers[f"{plural}_with_center"] += count

    def add_city_centers(self, count: int) -> None:
        self.city_centers += count

    def _item(self, row: tuple) -> OrgItem:
        item = self.items.get(row[_ORG_ID])
        if item is None:
            item = self.items[row[_ORG_ID]] = self._new_item(row)
        return item

    def _new_item(self, row: tuple) -> OrgItem:
        (
            street_id,
            registration,
            kind,
            mode,
            org_id,
            name,
            full_members,
            mode_rank,
            staff_count,
            instructed,
            sb,
            declares,
            declared_year,
            declared_po,
            declared_members,
            large,
        ) = row[STREET_ID:_COUNTS_AT]
        street = self.streets.get(street_id)
        evidence = []
        if sb:
            evidence.append(EVIDENCE_FULL_MEMBERS)
        if declares and not mode_rank:
            evidence.append(EVIDENCE_INSPECTION)
        if large and not mode_rank:
            evidence.append(EVIDENCE_LARGE)
        return OrgItem.of(
            {
                "id": org_id,
                "name": name,
                "street": street.name if street else None,
                "street_code": street.code if street else None,
                "kind": kind,
                "registration": registration,
                "management_mode": mode,
                "staff_count": staff_count,
                "full_members": int(full_members or 0),
                "coverage": MODE_OF_RANK.get(mode_rank),
                "work_covered": bool(instructed),
                "evidence": tuple(evidence),
                "declared_year": declared_year,
                "declared_po": None if declared_po is None else bool(declared_po),
                "declared_members": declared_members,
            }
        )

    @staticmethod
    def _by_place(items: list[OrgItem]) -> list[OrgItem]:
        return sorted(items, key=lambda item: (item.street_code or "", item.name, item.id))

    def result(self) -> CoverageResult:
        streets = sorted(
            (row for row in self.streets.values() if row.code is not None or not row.is_empty()),
            key=lambda row: (row.code is None, row.code or ""),
        )
        leads = [self._item(row) for row in self.lead_rows]
        uncovered = [self._item(row) for row in self.uncovered_rows]
        if not self.lists_in_order:
            leads = self._by_place(leads)
            uncovered.sort(key=lambda item: (item.work_covered, item.street_code or "", item.name, item.id))
        centers = {"city": self.city_centers}
        for key in ("streets", "streets_with_center", "communities", "communities_with_center"):
            centers[key] = sum(row.centers[key] for row in self.streets.values())
        return CoverageResult(
            region=RegionRef(self.region.pk, self.region.code, self.region.name, self.region.kind),
            date=self.day,
            filters=self.org_filter.as_dict(),
            thresholds=self.thresholds,
            figures=self.all.figures(),
            by_registration={key: counts.figures() for key, counts in self.by_registration.items()},
            by_registration_mode={
                registration: {mode: counts.figures() for mode, counts in modes.items()}
                for registration, modes in self.by_registration_mode.items()
            },
            by_kind={kind: counts.figures() for kind, counts in self.by_kind.items()},
            by_management_mode={mode: counts.figures() for mode, counts in self.by_mode.items()},
            by_street=[row.result() for row in streets],
            should_build_list=[item for item in leads if EVIDENCE_FULL_MEMBERS in item.evidence],
            leads=leads,
            uncovered_list=uncovered,
            party_organizations_by_kind=self.po_by_kind,
            party_organizations_by_mode=self.po_by_mode,
            members_by_stage=self.members_by_stage,
            members_by_affiliation=self.members_by_affiliation,
            service_centers=ServiceCenters(**centers),
        )
