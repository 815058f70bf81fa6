"""The coverage engine's typed result, and its JSON form (the API's keys, a snapshot's `figures`).

Every page, export, command and job reads these attributes; only `to_dict` / `from_dict` know the
JSON keys. `from_dict` reads snapshots written before a key existed (the key's empty value).
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from members.models import PARTY_MEMBER_STAGES

RATIO_QUANTUM = Decimal("0.0001")
EVIDENCE_FULL_MEMBERS = "full_members"  # ≥ SHOULD_BUILD_MIN_FULL_MEMBERS full members employed


def ratio(part: int, whole: int) -> float | None:
    """part / whole as a decimal fraction rounded half-up to 4 places; None when whole is 0.

    Whole numbers (the counts): in integer arithmetic, the same value as Decimal's ROUND_HALF_UP
    quantize, a tenth of its cost (a snapshot computes tens of thousands of ratios)."""
    if not whole:
        return None
    if isinstance(part, int) and isinstance(whole, int) and part >= 0 and whole > 0:
        return ((2 * 10000 * part + whole) // (2 * whole)) / 10000
    return float((Decimal(part) / Decimal(whole)).quantize(RATIO_QUANTUM, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Figures:
    """The headline figures of one group of organizations (a scope, a street, a kind…)."""

    total: int = 0
    single: int = 0
    joint: int = 0
    fallback: int = 0
    org_covered: int = 0
    org_coverage: float | None = None
    work_covered: int = 0
    work_coverage: float | None = None
    should_build: int = 0
    large: "Figures | None" = None  # the same figures for organizations with ≥ LARGE_ORG_MIN_STAFF staff

    @property
    def not_covered(self) -> int:
        """Neither org- nor work-covered."""
        return self.total - self.org_covered - self.work_covered

    @property
    def without_org_coverage(self) -> int:
        return self.total - self.org_covered

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        del data["large"]
        if self.large is not None:
            data["large"] = self.large.to_dict()
        return data

    @classmethod
    def of(cls, values: dict) -> "Figures":
        """Figures from all their field values, without the frozen dataclass's field-by-field
        __init__ (a snapshot makes tens of thousands: one per group and scope)."""
        figures = object.__new__(cls)
        figures.__dict__.update(values)
        return figures

    @classmethod
    def from_dict(cls, data: dict | None) -> "Figures":
        data = data or {}
        values = {f.name: data.get(f.name, f.default) for f in fields(cls) if f.name != "large"}
        large = data.get("large")
        return cls(**values, large=cls.from_dict(large) if large is not None else None)


@dataclass(frozen=True)
class OrgItem:
    """One organization of a list (should build, leads, without org coverage)."""

    id: int
    name: str
    street: str | None
    street_code: str | None
    kind: str
    registration: str | None
    management_mode: str
    staff_count: int
    full_members: int
    coverage: str | None  # the strongest link's mode, None: not org-covered
    work_covered: bool = False
    # Lead evidence (四个纳入): which sources say it should have its own branch.
    evidence: tuple[str, ...] = ()
    declared_year: int | None = None  # the annual inspection that declared it
    declared_po: bool | None = None
    declared_members: int | None = None

    def to_dict(self) -> dict:
        # The fields' values as they are (dataclasses.asdict deep-copies each: 4 s for a province's lists).
        data = dict(self.__dict__)
        data["evidence"] = list(self.evidence)
        return data

    @classmethod
    def of(cls, values: dict) -> "OrgItem":
        """An item from all its field values (ITEM_COLUMNS, evidence a tuple), without the frozen
        dataclass's field-by-field __init__: the engine makes tens of thousands per snapshot."""
        item = object.__new__(cls)
        item.__dict__.update(values)
        return item

    def as_row(self) -> list:
        """The values in field order (ITEM_COLUMNS): a stored snapshot's compact form."""
        return list(_item_values(self.__dict__))

    @classmethod
    def from_dict(cls, data: dict) -> "OrgItem":
        names = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in names}
        values.setdefault("registration", None)
        values["evidence"] = tuple(values.get("evidence") or ())
        return cls(**values)


ITEM_COLUMNS = tuple(f.name for f in fields(OrgItem))
_item_values = itemgetter(*ITEM_COLUMNS)


@dataclass(frozen=True)
class ServiceCenters:
    """党群服务中心 coverage: streets and communities with an open center of their own level."""

    city: int = 0
    streets: int = 0
    streets_with_center: int = 0
    communities: int = 0
    communities_with_center: int = 0

    @property
    def street_share(self) -> float | None:
        return _share(self.streets_with_center, self.streets)

    @property
    def community_share(self) -> float | None:
        return _share(self.communities_with_center, self.communities)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> "ServiceCenters":
        data = data or {}
        return cls(**{f.name: int(data.get(f.name) or 0) for f in fields(cls)})


def _share(part: int, whole: int) -> float | None:
    return ratio(part, whole)


@dataclass(frozen=True)
class StreetFigures:
    """One street's line (region_id None / code None: organizations directly under the district)."""

    region_id: int | None
    code: str | None
    name: str | None
    figures: Figures
    party_organizations_by_kind: dict[str, int]
    party_organizations_by_mode: dict[str, int]
    members_by_stage: dict[str, int]
    service_centers: ServiceCenters = field(default_factory=ServiceCenters)
    # active members temporary (临时) or flowing (流动) on the day, by their period records
    members_by_affiliation: dict[str, int] = field(default_factory=dict)

    @property
    def party_organizations(self) -> int:
        return sum(self.party_organizations_by_kind.values())

    @property
    def party_members(self) -> int:
        return sum(self.members_by_stage.get(stage, 0) for stage in PARTY_MEMBER_STAGES)

    def to_dict(self) -> dict:
        return {
            "region_id": self.region_id,
            "code": self.code,
            "name": self.name,
            **self.figures.to_dict(),
            "party_organizations_by_kind": self.party_organizations_by_kind,
            "party_organizations_by_mode": self.party_organizations_by_mode,
            "members_by_stage": self.members_by_stage,
            "members_by_affiliation": self.members_by_affiliation,
            "service_centers": self.service_centers.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "StreetFigures":
        return cls(
            region_id=data.get("region_id"),
            code=data.get("code"),
            name=data.get("name"),
            figures=Figures.from_dict(data),
            party_organizations_by_kind=dict(data.get("party_organizations_by_kind") or {}),
            party_organizations_by_mode=dict(data.get("party_organizations_by_mode") or {}),
            members_by_stage=dict(data.get("members_by_stage") or {}),
            members_by_affiliation=dict(data.get("members_by_affiliation") or {}),
            service_centers=ServiceCenters.from_dict(data.get("service_centers")),
        )


@dataclass(frozen=True)
class RegionRef:
    id: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class CoverageResult:
    """The figures of one region's subtree on one date for one filter set, with every list."""

    region: RegionRef
    date: date
    filters: dict
    thresholds: dict
    figures: Figures
    by_registration: dict[str, Figures]
    by_registration_mode: dict[str, dict[str, Figures]]  # registration → management mode
    by_kind: dict[str, Figures]
    by_management_mode: dict[str, Figures]
    by_street: list[StreetFigures]
    should_build_list: list[OrgItem]
    leads: list[OrgItem]
    uncovered_list: list[
        OrgItem
    ]  # the first `list_limit` without org coverage (figures.without_org_coverage in all)
    party_organizations_by_kind: dict[str, int]
    party_organizations_by_mode: dict[str, int]
    members_by_stage: dict[str, int]
    service_centers: ServiceCenters
    # active members temporary (临时) or flowing (流动) on the day, by their period records
    members_by_affiliation: dict[str, int] = field(default_factory=dict)

    @property
    def party_organizations(self) -> int:
        return sum(self.party_organizations_by_kind.values())

    @property
    def party_members(self) -> int:
        return sum(self.members_by_stage.get(stage, 0) for stage in PARTY_MEMBER_STAGES)

    @property
    def is_filtered(self) -> bool:
        return any(value not in (None, [], ()) for value in self.filters.values())

    def street(self, region_id: int) -> StreetFigures | None:
        return next((row for row in self.by_street if row.region_id == region_id), None)

    def to_dict(self) -> dict:
        """The API's form (and `coverage_stats --json`)."""
        return {
            **self._figures_dict(),
            "should_build_list": [item.to_dict() for item in self.should_build_list],
            "leads": [item.to_dict() for item in self.leads],
            "uncovered_list": [item.to_dict() for item in self.uncovered_list],
        }

    def to_stored(self, rows: dict | None = None) -> dict:
        """A snapshot's `figures`: to_dict's keys but the lists, which are stored once, compactly — rows
        of ITEM_COLUMNS under "lists" (the should-build list is the leads with full-members evidence:
        derived again by from_dict, not stored twice). Half the bytes to encode, store and read.
        `rows`: each item's row by organization id, shared by the results of one computation (whose
        items are one per organization): made once for the district's list and its street's."""
        if rows is None:
            rows = {}

        def row(item: OrgItem) -> list:
            made = rows.get(item.id)
            if made is None:
                made = rows[item.id] = item.as_row()
            return made

        return {
            **self._figures_dict(),
            "lists": {
                "columns": ITEM_COLUMNS,
                "leads": [row(item) for item in self.leads],
                "uncovered": [row(item) for item in self.uncovered_list],
            },
        }

    def _figures_dict(self) -> dict:
        return {
            "region": asdict(self.region),
            "date": self.date.isoformat(),
            "filters": self.filters,
            "thresholds": self.thresholds,
            **self.figures.to_dict(),
            "party_organizations_by_kind": self.party_organizations_by_kind,
            "party_organizations_by_mode": self.party_organizations_by_mode,
            "members_by_stage": self.members_by_stage,
            "members_by_affiliation": self.members_by_affiliation,
            "service_centers": self.service_centers.to_dict(),
            "by_street": [row.to_dict() for row in self.by_street],
            "by_registration": {key: value.to_dict() for key, value in self.by_registration.items()},
            "by_registration_mode": {
                registration: {mode: value.to_dict() for mode, value in modes.items()}
                for registration, modes in self.by_registration_mode.items()
            },
            "by_kind": {key: value.to_dict() for key, value in self.by_kind.items()},
            "by_management_mode": {key: value.to_dict() for key, value in self.by_management_mode.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CoverageResult":
        """From to_dict's or to_stored's form."""

        def groups(key: str) -> dict[str, Figures]:
            return {name: Figures.from_dict(value) for name, value in (data.get(key) or {}).items()}

        lists = data.get("lists")
        if lists is not None:
            columns = lists["columns"]

            def items(key: str) -> list[OrgItem]:
                return [OrgItem.from_dict(dict(zip(columns, row, strict=True))) for row in lists[key]]

            leads, uncovered = items("leads"), items("uncovered")
            should_build = [item for item in leads if EVIDENCE_FULL_MEMBERS in item.evidence]
        else:
            leads = [OrgItem.from_dict(item) for item in data.get("leads") or []]
            uncovered = [OrgItem.from_dict(item) for item in data.get("uncovered_list") or []]
            should_build = [OrgItem.from_dict(item) for item in data.get("should_build_list") or []]

        return cls(
            region=RegionRef(**data["region"]),
            date=date.fromisoformat(data["date"]),
            filters=data.get("filters") or {},
            thresholds=data.get("thresholds") or {},
            figures=Figures.from_dict(data),
            by_registration=groups("by_registration"),
            by_registration_mode={
                registration: {mode: Figures.from_dict(value) for mode, value in modes.items()}
                for registration, modes in (data.get("by_registration_mode") or {}).items()
            },
            by_kind=groups("by_kind"),
            by_management_mode=groups("by_management_mode"),
            by_street=[StreetFigures.from_dict(row) for row in data.get("by_street") or []],
            should_build_list=should_build,
            leads=leads,
            uncovered_list=uncovered,
            party_organizations_by_kind=dict(data.get("party_organizations_by_kind") or {}),
            party_organizations_by_mode=dict(data.get("party_organizations_by_mode") or {}),
            members_by_stage=dict(data.get("members_by_stage") or {}),
            members_by_affiliation=dict(data.get("members_by_affiliation") or {}),
            service_centers=ServiceCenters.from_dict(data.get("service_centers")),
        )
