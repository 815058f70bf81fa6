# ruff: noqa: S608  (statements built from model table names and fixed fragments; values are bound)
"""The coverage engine's SQL: two statements, whatever the number of organizations or regions.

Why raw SQL: the figures need two levels of aggregation (per organization its
strongest link, then counts of organizations per group), which the ORM can only
express by repeating a correlated subquery inside every conditional count. Here
each per-organization fact is computed once in a CTE and every grouping reads
the materialised rows. The text is portable (CTEs, VALUES, CASE, UNION ALL,
COALESCE): it runs on PostgreSQL and on the quick start's SQLite.

The scopes (the regions asked for) come in as constants, read just before
(engine.py): the region filter is then written with literal bounds
(`tree_id IN (…)` for whole trees, `tree_id = … AND lft >= … AND rght <= …`
otherwise), which PostgreSQL estimates from its statistics. That matters: with
a good row estimate it joins a district's organizations to their links and
members by index, and a province's by hashing whole tables. Per-organization
facts are computed once per organization; only the final counts are spread
over the scopes containing them (scopes may nest).

Table and column names come from the models' _meta; every value is a bound
parameter. Statements are written with %(name)s markers and turned into
positional parameters by `bind`, so one value can appear many times.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from branches.models import CoverageLink, InstructorAssignment, PartyOrganization
from events.models import ServiceCenter
from members.models import STAGE_DATE_FIELD, AffiliationRecord, Member, StageChange, Transfer
from orgs.models import AnnualInspection, Organization, OrganizationStatusChange, Region

MODE_RANK = {"single": 1, "joint": 2, "fallback": 3}  # strongest link first; 0 = not org-covered
STAGES_LATEST_FIRST = tuple((str(stage), column) for stage, column in reversed(STAGE_DATE_FIELD.items()))

T = {
    "region": Region._meta.db_table,
    "org": Organization._meta.db_table,
    "status": OrganizationStatusChange._meta.db_table,
    "po": PartyOrganization._meta.db_table,
    "link": CoverageLink._meta.db_table,
    "assignment": InstructorAssignment._meta.db_table,
    "member": Member._meta.db_table,
    "stage_change": StageChange._meta.db_table,
    "transfer": Transfer._meta.db_table,
    "affiliation": AffiliationRecord._meta.db_table,
    "inspection": AnnualInspection._meta.db_table,
    "center": ServiceCenter._meta.db_table,
}

# A region asked for: (id, tree_id, lft, rght, kind, parent_id).
Scope = tuple[int, int, int, int, str, int | None]

_MARKER = re.compile(r"%\((\w+)\)s")


def bind(sql: str, values: dict) -> tuple[str, list]:
    """`%(name)s` markers → `%s` with the values in order (a tuple value expands to a list)."""
    params: list = []

    def replace(match: re.Match) -> str:
        value = values[match.group(1)]
        if isinstance(value, tuple):
            params.extend(value)
            return ", ".join(["%s"] * len(value))
        params.append(value)
        return "%s"

    return _MARKER.sub(replace, sql), params


@dataclass(frozen=True)
class OrgFilter:
    """Narrows the organization figures (empty: no narrowing). Party organizations and members are
    counted for the whole region whatever the filter: kind, registration, management mode and staff
    size are properties of organizations."""

    kinds: tuple[str, ...] = ()
    registrations: tuple[str, ...] = ()
    management_modes: tuple[str, ...] = ()
    min_staff: int | None = None
    max_staff: int | None = None

    def where(self) -> tuple[str, dict]:
        clauses: list[str] = []
        values: dict[str, object] = {}
        for name, column, chosen in (
            ("kinds", "kind", self.kinds),
            ("registrations", "registration", self.registrations),
            ("modes", "management_mode", self.management_modes),
        ):
            if chosen:
                clauses.append(f"o.{column} IN (%({name})s)")
                values[name] = tuple(chosen)
        if self.min_staff is not None:
            clauses.append("o.staff_count >= %(min_staff)s")
            values["min_staff"] = self.min_staff
        if self.max_staff is not None:
            clauses.append("o.staff_count <= %(max_staff)s")
            values["max_staff"] = self.max_staff
        return "".join(f"\n      AND {clause}" for clause in clauses), values

    def as_dict(self) -> dict:
        return {
            "kind": list(self.kinds),
            "registration": list(self.registrations),
            "management_mode": list(self.management_modes),
            "min_staff": self.min_staff,
            "max_staff": self.max_staff,
        }


def scope_values(scopes) -> tuple[str, dict]:
    """`scope(scope_id, tree_id, lft, rght, up_street_id)` as a VALUES list of the given
    (id, tree_id, lft, rght, kind, parent_id) rows; up_street_id: a community's street."""
    rows: list[str] = []
    values: dict[str, int | None] = {}
    for i, (pk, tree_id, lft, rght, kind, parent_id) in enumerate(scopes):
        names = [f"s{i}_{column}" for column in ("id", "tree", "lft", "rght", "up")]
        rows.append("(" + ", ".join(f"CAST(%({name})s AS BIGINT)" for name in names) + ")")
        values.update(
            zip(names, (pk, tree_id, lft, rght, parent_id if kind == "community" else None), strict=True)
        )
    return "scope(scope_id, tree_id, lft, rght, up_street_id) AS (VALUES " + ", ".join(rows) + ")", values


def in_scopes(scopes, alias: str = "r") -> tuple[str, dict]:
    """A predicate on region `alias` with literal bounds: inside any of the scopes."""
    trees = tuple(sorted({tree_id for _pk, tree_id, lft, _rght, _kind, _parent in scopes if lft == 1}))
    terms, values = [], {}
    if trees:
        terms.append(f"{alias}.tree_id IN (%(root_trees)s)")
        values["root_trees"] = trees
    for i, (_pk, tree_id, lft, rght, _kind, _parent) in enumerate(scopes):
        if lft != 1 and tree_id not in trees:
            bounds = f"{alias}.lft >= %(b{i}_lft)s AND {alias}.rght <= %(b{i}_rght)s"
            terms.append(f"({alias}.tree_id = %(b{i}_tree)s AND {bounds})")
            values.update({f"b{i}_tree": tree_id, f"b{i}_lft": lft, f"b{i}_rght": rght})
    return "(" + " OR ".join(terms) + ")", values


def scope_join(scopes) -> tuple[str, str, dict]:
    """How rows of region `r` get the id of the scope containing them: (join, scope id expression,
    values). Written for the planner's estimates: one scope is a constant (no join), whole trees
    join on tree_id alone, only nested or partial scopes need the range join."""
    if len(scopes) == 1:
        return "", "CAST(%(only_scope)s AS BIGINT)", {"only_scope": scopes[0][0]}
    trees = [tree_id for _pk, tree_id, lft, _rght, _kind, _parent in scopes if lft == 1]
    if len(trees) == len(scopes) == len(set(trees)):
        return "JOIN scope sc ON sc.tree_id = r.tree_id", "sc.scope_id", {}
    return f"JOIN scope sc ON {IN_SCOPE_R}", "sc.scope_id", {}


# The street of a region: the tree is strictly district → street → community.
STREET_OF_R = "CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END"
IN_SCOPE_R = "r.tree_id = sc.tree_id AND r.lft >= sc.lft AND r.rght <= sc.rght"
# The organization is in an active period of its status history on the day (registered or
# reinstated; `on` empty: a registration since always; `until` exclusive). One index probe
# (organization, on, until) per organization, or a hashed semi-join for a province.
ORG_ACTIVE = (
    f"EXISTS (SELECT 1 FROM {T['status']} h WHERE h.organization_id = o.id"
    " AND h.kind IN ('registered', 'reinstated')"
    ' AND (h."on" IS NULL OR h."on" <= %(day)s) AND (h.until IS NULL OR h.until > %(day)s))'
)
PO_ACTIVE = (
    "(p.founded_on IS NULL OR p.founded_on <= %(day)s)"
    " AND (p.dissolved_on IS NULL OR p.dissolved_on > %(day)s)"
)


# A member's status on the day, members.services.periods' rule in SQL: the events of their status
# history are the status changes (StageChange.to_status) and the transfers received out of or into
# the system, in the order (day, kind, row id) — on one day a transfer after a status change, and of
# one kind the later recorded (higher id) last; the last on or before the day gives the status; before
# the first of them the member was active, or not yet in the system ('transferred_out': not active)
# when that first event is a transfer into it; a member without any such row has today's status
# throughout (`status_on_day` holds only members with events: the others read m.status).
# One window per member: its first row is the last event on or before the day, or, when all are
# later, the first event.
# `{status_events}`: the events `e` read (see _status_markers).
def _status_events(member: str = "") -> str:
    """The status events, all of them, or (`member`: an outer column) only that member's."""
    of_c = f" AND c.member_id = {member}" if member else ""
    of_t = f" AND t.member_id = {member}" if member else ""
    return f"""
            SELECT c.member_id, c."on" AS day, c.to_status AS status, 0 AS src, c.id AS row_id
            FROM {T["stage_change"]} c
            WHERE c.to_status <> ''{of_c}
            UNION ALL
            SELECT t.member_id, t.received_on,
                   CASE t.direction WHEN 'out' THEN 'transferred_out' ELSE 'active' END, 1, t.id
            FROM {T["transfer"]} t
            WHERE t.status = 'received' AND t.direction IN ('out', 'in')
              AND t.received_on IS NOT NULL{of_t}"""


_STATUS_EVENTS = _status_events()


def _latest_past_else_first(day: str, *keys: str) -> str:
    """A window's ORDER BY over events keyed (`day`, *keys): those on or before the day latest first,
    then the later ones earliest first (its first row: the last event by the day, else the first)."""
    order = (day, *keys)
    past = ", ".join(f"CASE WHEN {day} <= %(day)s THEN {key} END DESC" for key in order)
    return f"CASE WHEN {day} <= %(day)s THEN 0 ELSE 1 END, {past}, {', '.join(order)}"


STATUS_ON_DAY = f"""status_on_day AS (
    SELECT x.member_id,
           CASE WHEN x.day <= %(day)s THEN x.status
                WHEN x.src = 1 AND x.status = 'active' THEN 'transferred_out'
                ELSE 'active' END AS status
    FROM (
        SELECT e.member_id, e.day, e.status, e.src,
               ROW_NUMBER() OVER (
                   PARTITION BY e.member_id
                   ORDER BY {_latest_past_else_first("e.day", "e.src", "e.row_id")}
               ) AS latest
        FROM {{status_events}}
    ) x
    WHERE x.latest = 1
)"""
# How `staffed` and `staged` give each member `{id}` their status on the day, `s.status` (NULL: no
# event, today's status): joined from `status_on_day` (every event of the members counted, read and
# numbered at once), or for a district on PostgreSQL each member's latest event read through the
# events' member index (LATERAL … LIMIT 1: a nested loop PostgreSQL is made to take). Left to choose,
# it hashed every event of the system (334k at L) for the ~20k members a district's refresh counts:
# half the SQL time of the refresh (docs/benchmarks.md). SQLite has no LATERAL: it always joins.
STATUS_JOIN = "LEFT JOIN status_on_day s ON s.member_id = {id}"
STATUS_LATERAL = f"""LEFT JOIN LATERAL (
        SELECT CASE WHEN e.day <= %(day)s THEN e.status
                    WHEN e.src = 1 AND e.status = 'active' THEN 'transferred_out'
                    ELSE 'active' END AS status
        FROM ({_status_events("{id}").replace(chr(10), chr(10) + "    ")}
        ) e
        ORDER BY {_latest_past_else_first("e.day", "e.src", "e.row_id")}
        LIMIT 1
    ) s ON TRUE"""
# Active on the day, for member `m` left-joined to status_on_day `s`.
MEMBER_ACTIVE = "COALESCE(s.status, m.status) = 'active'"

RANK_CASE = "CASE p.building_mode " + " ".join(f"WHEN '{m}' THEN {r}" for m, r in MODE_RANK.items()) + " END"

# 1 for a should-build organization (enough full members employed, no single-mode link), else 0.
SHOULD_BUILD_KEY = (
    "CASE WHEN s.full_members >= %(should_build_min)s AND COALESCE(k.mode_rank, 0) <> 1 THEN 1 ELSE 0 END"
)

# The grouping keys of `cells` (the counts refer to them by these same expressions).
RANK_KEY = "COALESCE(k.mode_rank, 0)"
INSTRUCTED_KEY = "CASE WHEN i.org_id IS NULL THEN 0 ELSE 1 END"
LARGE_KEY = "CASE WHEN o.staff_count >= %(large_min_staff)s THEN 1 ELSE 0 END"
# The latest annual inspection's party-building section (filled in) declares a party organization
# or enough full members employed (四个纳入: the inspection is one of the sources of leads).
DECLARES_KEY = "CASE WHEN d.has_po = %(true)s OR d.full_members >= %(should_build_min)s THEN 1 ELSE 0 END"

# Every status event, as `status_on_day` reads them for scopes spanning many region trees (the
# snapshot, all districts: hashing all of them costs less than finding the members they belong to,
# see ALL_EVENTS_TREES) and, joined to the members counted, for a district on SQLite.
_ALL_EVENTS = f"({_STATUS_EVENTS}\n        ) e"

# `org`: one row per organization active on the day inside any of the scopes (and the filter),
# with its region's position (tree_id, lft) so it can be spread over the scopes containing it;
# then the facts the figures need, computed once per organization however many scopes (a district
# and its streets) contain it. `org` and `facts` are referenced more than once: PostgreSQL
# materialises them once. The spread over scopes happens after aggregation (`cells`: organizations
# counted per region and grouping keys first) and, for the lists, only for the organizations a
# list can show.
_FACT_SOURCES = f"""
org AS MATERIALIZED (
    SELECT r.tree_id, {STREET_OF_R} AS street_id, {{community_key}} AS community_key,
           o.id, o.region_id, o.name, o.kind, o.registration, o.management_mode, o.staff_count
    FROM {T["region"]} r
    JOIN {T["org"]} o ON o.region_id = r.id
    WHERE {{in_scopes}}
      AND {ORG_ACTIVE}{{filters}}
),
strongest AS (
    -- grouped by the link's column, not the CTE's: PostgreSQL knows how many organizations the
    -- links have (and so estimates the joins on the facts), not how many `org` has
    SELECT l.organization_id AS org_id, MIN({RANK_CASE}) AS mode_rank
    FROM org o
    JOIN {T["link"]} l ON l.organization_id = o.id
    JOIN {T["po"]} p ON p.id = l.party_organization_id
    WHERE l.since <= %(day)s AND (l.until IS NULL OR l.until > %(day)s)
      AND {PO_ACTIVE}
      AND p.building_mode IN ('single', 'joint', 'fallback')
    GROUP BY l.organization_id
),
instructed AS (
    SELECT DISTINCT a.organization_id AS org_id
    FROM org o
    JOIN {T["assignment"]} a ON a.organization_id = o.id
    WHERE a.since <= %(day)s AND (a.until IS NULL OR a.until > %(day)s)
),
employed AS NOT MATERIALIZED (
    -- full members on the day (their stage: full_on is the last stage date) employed in `org`;
    -- not materialised: a materialised CTE has no statistics, and PostgreSQL then estimated its
    -- join with the status events at billions of rows and sorted both for a merge join
    SELECT m.id, m.employer_id, m.status
    FROM org o
    JOIN {T["member"]} m ON m.employer_id = o.id
    WHERE m.full_on <= %(day)s
),
{STATUS_ON_DAY.replace("{status_events}", "{employed_events}")},
staffed AS (
    -- those active on the day (counted, not filtered: PostgreSQL cannot estimate the status test,
    -- and planned the joins after it for a handful of rows)
    SELECT m.employer_id AS org_id, SUM(CASE WHEN {MEMBER_ACTIVE} THEN 1 ELSE 0 END) AS full_members
    FROM employed m
    {{employed_status}}
    GROUP BY m.employer_id
),
declared AS MATERIALIZED (
    -- the latest filed party section of each organization up to the day's year (materialised: one
    -- pass over the inspections, not one per organization)
    SELECT x.org_id, x.year, x.has_po, x.full_members
    FROM (
        SELECT o.id AS org_id, i.year, i.has_party_organization AS has_po,
               i.full_members_employed AS full_members,
               ROW_NUMBER() OVER (PARTITION BY o.id ORDER BY i.year DESC) AS latest
        FROM org o
        JOIN {T["inspection"]} i ON i.organization_id = o.id
        WHERE i.year <= %(year)s
          AND (i.has_party_organization IS NOT NULL OR i.full_members_employed IS NOT NULL)
    ) x
    WHERE x.latest = 1
)"""
# A live statement's `facts` (every key computed from the day's rows).
_LIVE_FACTS = f"""
facts AS MATERIALIZED (
    SELECT o.tree_id, o.street_id, o.community_key,
           o.id, o.name, o.kind, o.registration, o.management_mode, o.staff_count,
           {RANK_KEY} AS mode_rank,
           {INSTRUCTED_KEY} AS instructed,
           {LARGE_KEY} AS large,
           {SHOULD_BUILD_KEY} AS sb,
           COALESCE(s.full_members, 0) AS full_members,
           d.year AS declared_year, d.has_po AS declared_po, d.full_members AS declared_members,
           CASE WHEN d.org_id IS NOT NULL THEN {DECLARES_KEY} ELSE 0 END AS declares
    FROM org o
    LEFT JOIN strongest k ON k.org_id = o.id
    LEFT JOIN instructed i ON i.org_id = o.id
    LEFT JOIN staffed s ON s.org_id = o.id
    LEFT JOIN declared d ON d.org_id = o.id
)"""
_GROUPS = """
keyed AS (
    -- the organizations counted per grouping key and place once, then given the scopes containing
    -- that place (which the spread repeats them for): a few thousand groups, not every organization
    -- for each scope
    SELECT {keyed_scopes}, k.*
    FROM (
        SELECT tree_id, street_id, community_key, registration, kind, management_mode, mode_rank,
               instructed, large, sb, COUNT(*) AS n
        FROM facts
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    ) k
    {keyed_scope_joins}
),
cells AS (
    -- each group of `keyed` in each scope containing it, with its counts (not grouped again: a
    -- (scope, street, keys) cell is one group of `keyed` but where communities are scopes too, and the
    -- roll-ups below add the columns anyway; at L grouping 410k rows into as many cells, estimated at
    -- trillions, spilled 65 MB and cost more than the rest of the spread)
    SELECT x.scope_id, x.street_id, x.registration, x.kind, x.management_mode,
           {cell_counts}
    FROM {spread_keyed} x
),
uncovered_no AS (
    -- each organization without org coverage numbered in each scope containing it, in the lists'
    -- order (work-covered last, then id): narrow rows, so the sort stays in memory
    SELECT f.id, {uncovered_numbers}
    FROM facts f
    WHERE f.mode_rank = 0
)"""
ORG_FACTS = f"{_FACT_SOURCES},{_LIVE_FACTS},{_GROUPS}"

COUNT_COLUMNS = ("total", "single", "joint", "fallback", "work_covered", "should_build")
# Each cell's counts, computed once per cell from its grouping keys (mode rank, instructed, large,
# should-build): the roll-ups then only add columns.
_CONDITIONS = (
    "1 = 1",
    "mode_rank = 1",
    "mode_rank = 2",
    "mode_rank = 3",
    "mode_rank = 0 AND instructed = 1",
    "sb = 1",
)
_COUNT_NAMES = (*COUNT_COLUMNS, *(f"large_{name}" for name in COUNT_COLUMNS))
CELL_COUNTS = ",\n           ".join(
    [f"CASE WHEN {c} THEN x.n ELSE 0 END AS {n}" for c, n in zip(_CONDITIONS, COUNT_COLUMNS, strict=True)]
    + [
        f"CASE WHEN x.large = 1 AND {c} THEN x.n ELSE 0 END AS large_{n}"
        for c, n in zip(_CONDITIONS, COUNT_COLUMNS, strict=True)
    ]
)
# BIGINT: PostgreSQL sums BIGINTs as NUMERIC, which Python would read as Decimal.
_SUMS = ", ".join(f"CAST(SUM({name}) AS BIGINT)" for name in _COUNT_NAMES)
_NO_COUNTS = ", ".join(["0"] * len(_COUNT_NAMES))

# Result columns of ORG_FIGURES, in order, with the type of each when a branch leaves it NULL.
# One aggregation over the organizations' facts makes `cells`: how many organizations share each
# (scope, street, registration, kind, management mode, strongest link, instructed, large,
# should-build). Cheap roll-ups of the cells follow: by street, and by (registration, kind,
# management mode), from which breakdowns.py sums the totals, registrations, kinds and modes. Then
# per-organization rows from the same facts: every lead (should build, declared by its inspection
# or large, without the coverage it needs) and the first LIST_LIMIT organizations without org
# coverage, so every list a page shows comes from the same pass as its figures.
# A per-organization row comes once whatever the number of scopes listing it (a district and its
# street): scope_id is NULL and list_district, list_street, list_community name the scope of each
# kind whose list holds it (NULL: none).
_ROW_COLUMNS = (
    ("list_district", "BIGINT"),
    ("list_street", "BIGINT"),
    ("list_community", "BIGINT"),
    ("street_id", "BIGINT"),
    ("registration", "VARCHAR(20)"),
    ("kind", "VARCHAR(30)"),
    ("management_mode", "VARCHAR(20)"),
    ("org_id", "BIGINT"),
    ("org_name", "VARCHAR(200)"),
    ("full_members", "BIGINT"),
    ("mode_rank", "INTEGER"),
    ("staff_count", "INTEGER"),
    ("instructed", "INTEGER"),
    ("sb", "INTEGER"),
    ("declares", "INTEGER"),
    ("declared_year", "INTEGER"),
    ("declared_po", "BOOLEAN"),
    ("declared_members", "BIGINT"),
    ("large", "INTEGER"),
)
ORG_FIGURES_COLUMNS = ("scope_id", "grp", *(name for name, _type in _ROW_COLUMNS), *_COUNT_NAMES)
LIST_SCOPE_COLUMNS = ("list_district", "list_street", "list_community")


def _branch(group: str, source: str, values: dict, *, counts: str, scope: str = "scope_id") -> str:
    cells = ", ".join(values.get(name, f"CAST(NULL AS {kind})") for name, kind in _ROW_COLUMNS)
    return f"SELECT {scope}, '{group}', {cells}, {counts}\nFROM {source}"


_PER_ORG = {
    name: f"f.{column}"
    for name, column in (
        ("street_id", "street_id"),
        ("registration", "registration"),
        ("kind", "kind"),
        ("management_mode", "management_mode"),
        ("org_id", "id"),
        ("full_members", "full_members"),
        ("mode_rank", "mode_rank"),
        ("staff_count", "staff_count"),
        ("instructed", "instructed"),
        ("sb", "sb"),
        ("declares", "declares"),
        ("declared_year", "declared_year"),
        ("declared_po", "declared_po"),
        ("declared_members", "declared_members"),
        ("large", "large"),
    )
} | {"org_name": "f.name"}
# A lead: should build, or without org coverage and declared by its inspection or large.
_LEAD = "f.sb = 1 OR (f.mode_rank = 0 AND (f.declares = 1 OR f.large = 1))"

ORG_FIGURES = f"""
WITH {{scope}},{ORG_FACTS.replace("{cell_counts}", CELL_COUNTS)}
{_branch("street", "cells GROUP BY scope_id, street_id", {"street_id": "street_id"}, counts=_SUMS)}
UNION ALL
{
    _branch(
        "kind_mode",
        "cells GROUP BY scope_id, registration, kind, management_mode",
        {"registration": "registration", "kind": "kind", "management_mode": "management_mode"},
        counts=_SUMS,
    )
}
UNION ALL
{
    _branch(
        "lead",
        f"facts f {{list_scope_joins}}WHERE {_LEAD}",
        _PER_ORG | {f"list_{kind}": f"{{lead_{kind}}}" for kind in ("district", "street", "community")},
        counts=_NO_COUNTS,
        scope="CAST(NULL AS BIGINT)",
    )
}
UNION ALL
{
    _branch(
        "uncovered",
        "uncovered_no u JOIN facts f ON f.id = u.id {list_scope_joins}WHERE {listed_somewhere}",
        _PER_ORG | {f"list_{kind}": f"{{uncovered_{kind}}}" for kind in ("district", "street", "community")},
        counts=_NO_COUNTS,
        scope="CAST(NULL AS BIGINT)",
    )
}
"""

_STAGE_ON_DAY = (
    "CASE "
    + " ".join(f"WHEN m.{column} <= %(day)s THEN '{stage}'" for stage, column in STAGES_LATEST_FIRST)
    + " END"
)

# 'yes' when the street or community has an open 党群服务中心 of its own level (centers have no dated
# history: the current ones are counted on any date).
HAS_CENTER = (
    f"CASE WHEN EXISTS (SELECT 1 FROM {T['center']} c WHERE c.region_id = r.id AND c.level = r.kind"
    " AND c.is_active = %(true)s) THEN 'yes' ELSE 'no' END"
)

# The party organization holding a member on the day, members.services.periods' rule in SQL: their
# received transfers (internal, out of and into the system) in the order (received day, row id); the
# last on or before the day gives its destination (a transfer out has none: its sender), when all are
# later the first one's origin (a transfer in has none: its receiver). Members without a received
# transfer are held by today's party organization (m.party_organization_id) and are not in here.
# `{members}`: a condition on the transfers `t` keeping those of the members a statement may count.
HELD_ON_DAY = f"""held_on_day AS (
    SELECT x.member_id, x.po_id
    FROM (
        SELECT t.member_id,
               CASE WHEN t.received_on <= %(day)s
                    THEN COALESCE(t.to_party_organization_id, t.from_party_organization_id)
                    ELSE COALESCE(t.from_party_organization_id, t.to_party_organization_id) END AS po_id,
               ROW_NUMBER() OVER (
                   PARTITION BY t.member_id ORDER BY {_latest_past_else_first("t.received_on", "t.id")}
               ) AS latest
        FROM {T["transfer"]} t
        WHERE t.status = 'received' AND t.received_on IS NOT NULL{{members}}
    ) x
    WHERE x.latest = 1
)"""
# The members a received transfer from or to a party organization inside the scopes concerns (the
# only ones `held_on_day` can place inside them: a holding party organization is one of a transfer's).
_MOVED_IN_SCOPES = "".join(
    f"""
            {"UNION " if n else ""}SELECT t2.member_id FROM {T["transfer"]} t2
            JOIN {T["po"]} p ON p.id = t2.{column}
            JOIN {T["region"]} r ON r.id = p.region_id
            WHERE t2.status = 'received' AND {{in_scopes}}"""
    for n, column in enumerate(("to_party_organization_id", "from_party_organization_id"))
)
RECEIVED = (
    f"SELECT 1 FROM {T['transfer']} t"
    " WHERE t.member_id = m.id AND t.status = 'received' AND t.received_on IS NOT NULL"
)
# The members held on the day by a party organization inside the scopes, with their status, their
# stage on the day and the region of that party organization: those without a received transfer by
# today's (followed from the regions through the party organizations' index), the others by
# `held_on_day`'s.
HELD = f"""held AS (
    SELECT m.id AS member_id, m.status, {{stage}} AS stage, p.region_id
    FROM {T["po"]} p
    JOIN {T["region"]} r ON r.id = p.region_id
    JOIN {T["member"]} m ON m.party_organization_id = p.id
    WHERE {{in_scopes}} AND NOT EXISTS ({RECEIVED})
    UNION ALL
    SELECT m.id, m.status, {{stage}}, p.region_id
    FROM held_on_day h
    JOIN {T["member"]} m ON m.id = h.member_id
    JOIN {T["po"]} p ON p.id = h.po_id
    JOIN {T["region"]} r ON r.id = p.region_id
    WHERE {{in_scopes}}
)"""

# Result columns of REGION_FIGURES. One statement, five kinds of rows:
# - street: the streets the scope reports on (inside it, or for a community the street above it),
#   a = code, b = name;
# - po: party organizations active on the day whose region is inside the scope, a = kind, b = mode;
# - member: active members held by a party organization inside the scope, by their stage on the day
#   (the latest stage whose date is on or before it), a = stage; a = NULL counts the members with no
#   stage yet on that day (left out by breakdowns.py: cheaper than filtering every row); b = 'temporary'
#   or 'flowing' for members in such a period on the day (members.AffiliationRecord), else NULL;
# - center: active streets and communities inside the scope, a = their kind, b = 'yes'/'no' (an open
#   service center of their level), counted per street;
# - city_center: open city-level service centers inside the scope.
REGION_FIGURES_COLUMNS = ("scope_id", "grp", "street_id", "a", "b", "n")
# Each member's temporary or flowing period on the day (members.AffiliationRecord), `aff`.
_AFFILIATION = f"""LEFT JOIN (
        SELECT a.member_id, MIN(a.kind) AS kind FROM {T["affiliation"]} a
        WHERE a.starts_on <= %(day)s AND (a.ends_on IS NULL OR a.ends_on >= %(day)s)
        GROUP BY a.member_id
    ) aff ON aff.member_id = m.member_id"""
_LIVE_STAGED = f"""{HELD_ON_DAY.replace("{members}", f" AND t.member_id IN ({_MOVED_IN_SCOPES}\n        )")},
{HELD.replace("{stage}", _STAGE_ON_DAY)},
{STATUS_ON_DAY.replace("{status_events}", "{held_events}")},
staged AS (
    -- members active on the day counted, not filtered (see `staffed`): groups of 0 add nothing
    -- per region of the party organization holding them on the day (a few thousand rows at M, not
    -- one per party organization and scope), then spread over the scopes like the service centers
    SELECT m.region_id, m.stage, aff.kind AS affiliation,
           SUM(CASE WHEN {MEMBER_ACTIVE} THEN 1 ELSE 0 END) AS n
    FROM held m
    {_AFFILIATION}
    {{held_status}}
    GROUP BY 1, 2, 3
)"""
REGION_FIGURES = f"""
WITH {{scope}},
po AS MATERIALIZED (
    SELECT {{scope_id}} AS scope_id, {STREET_OF_R} AS street_id, p.id, p.kind, p.building_mode,
           CASE WHEN {PO_ACTIVE} THEN 1 ELSE 0 END AS active
    FROM {T["region"]} r
    {{scope_join}}
    JOIN {T["po"]} p ON p.region_id = r.id
    WHERE {{in_scopes}}
),
{_LIVE_STAGED}
SELECT sc.scope_id, 'street', r.id, r.code, r.name, CAST(0 AS BIGINT)
FROM scope sc
JOIN {T["region"]} r ON r.kind = 'street' AND (({IN_SCOPE_R}) OR r.id = sc.up_street_id)
UNION ALL
SELECT scope_id, 'po', street_id, kind, building_mode, COUNT(*)
FROM po WHERE active = 1
GROUP BY scope_id, street_id, kind, building_mode
UNION ALL
SELECT {{scope_id}}, 'member', {STREET_OF_R}, g.stage, g.affiliation, CAST(SUM(g.n) AS BIGINT)
FROM staged g
JOIN {T["region"]} r ON r.id = g.region_id
{{scope_join}}
GROUP BY 1, 2, 3, 4, 5
UNION ALL
SELECT {{scope_id}}, 'center', {STREET_OF_R}, r.kind, {HAS_CENTER}, COUNT(*)
FROM {T["region"]} r
{{scope_join}}
WHERE {{in_scopes}} AND r.is_active = %(true)s AND r.kind IN ('street', 'community')
GROUP BY 1, 2, 3, 4, 5
UNION ALL
SELECT {{scope_id}}, 'city_center', NULL, NULL, NULL, COUNT(*)
FROM {T["region"]} r
{{scope_join}}
JOIN {T["center"]} c ON c.region_id = r.id AND c.level = 'city' AND c.is_active = %(true)s
WHERE {{in_scopes}}
GROUP BY 1
"""


# --- Stored facts (stats.coverage.facts): the same figures from rows kept current day after day ---
# The per-organization facts of `facts` that do not depend on a threshold, and each member's place,
# stage, period and status, as of the day the tables hold (CoverageFactsState.day). Refreshing them
# reuses the live statements' CTEs restricted to the organizations and members whose facts may have
# changed (`{only}`: a condition on the organization `o` or the member `m`, or TRUE for all).
ORG_FACT_TABLE = "stats_orgfact"
MEMBER_FACT_TABLE = "stats_memberfact"
MEMBER_COUNT_TABLE = "stats_membercount"
ORG_FACT_COLUMNS = (
    "id",
    "region_id",
    "name",
    "kind",
    "registration",
    "management_mode",
    "staff_count",
    "mode_rank",
    "instructed",
    "full_members",
    "declared_year",
    "declared_po",
    "declared_members",
)
MEMBER_FACT_COLUMNS = ("id", "region_id", "stage", "affiliation", "active")
INSERT_ORG_FACTS = f"""
WITH {_FACT_SOURCES}
INSERT INTO {ORG_FACT_TABLE} ({", ".join(ORG_FACT_COLUMNS)})
SELECT o.id, o.region_id, o.name, o.kind, o.registration, o.management_mode, o.staff_count,
       {RANK_KEY}, {INSTRUCTED_KEY}, s.full_members, d.year, d.has_po, d.full_members
FROM org o
LEFT JOIN strongest k ON k.org_id = o.id
LEFT JOIN instructed i ON i.org_id = o.id
LEFT JOIN staffed s ON s.org_id = o.id
LEFT JOIN declared d ON d.org_id = o.id
"""
INSERT_MEMBER_FACTS = f"""
WITH {HELD_ON_DAY.replace("{members}", "{only_transfers}")},
{HELD.replace("{stage}", _STAGE_ON_DAY)},
{STATUS_ON_DAY.replace("{status_events}", "{held_events}")}
INSERT INTO {MEMBER_FACT_TABLE} ({", ".join(MEMBER_FACT_COLUMNS)})
SELECT m.member_id, m.region_id, m.stage, aff.kind, CASE WHEN {MEMBER_ACTIVE} THEN 1 ELSE 0 END
FROM held m
{_AFFILIATION}
{{held_status}}
"""
# `facts` read from the stored rows: the threshold keys computed here as the live `facts` computes
# them (full_members NULL: no full member employed on the day, as the live `staffed` has no row).
_STORED_FACTS = f"""
facts AS MATERIALIZED (
    SELECT r.tree_id, {STREET_OF_R} AS street_id, {{community_key}} AS community_key,
           o.id, o.name, o.kind, o.registration, o.management_mode, o.staff_count,
           o.mode_rank, o.instructed,
           {LARGE_KEY} AS large,
           CASE WHEN o.full_members >= %(should_build_min)s AND o.mode_rank <> 1 THEN 1 ELSE 0 END AS sb,
           COALESCE(o.full_members, 0) AS full_members,
           o.declared_year, o.declared_po, o.declared_members,
           CASE WHEN o.declared_po = %(true)s OR o.declared_members >= %(should_build_min)s
                THEN 1 ELSE 0 END AS declares
    FROM {T["region"]} r
    JOIN {ORG_FACT_TABLE} o ON o.region_id = r.id
    WHERE {{in_scopes}}{{filters}}
)"""
# `staged` from the members' facts summed per region, stage and period (MEMBER_COUNT_TABLE, kept with
# them: '' stands for NULL there).
_STORED_STAGED = f"""staged AS (
    SELECT c.region_id, NULLIF(c.stage, '') AS stage, NULLIF(c.affiliation, '') AS affiliation,
           c.active AS n
    FROM {T["region"]} r
    JOIN {MEMBER_COUNT_TABLE} c ON c.region_id = r.id
    WHERE {{in_scopes}}
)"""
# The members' facts of the members in `{only}` (or all) summed per key of MEMBER_COUNT_TABLE.
MEMBER_COUNTS_OF = f"""
    SELECT f.region_id, COALESCE(f.stage, '') AS stage, COALESCE(f.affiliation, '') AS affiliation,
           COUNT(f.id) AS members, SUM(f.active) AS active
    FROM {MEMBER_FACT_TABLE} f{{only}}
    GROUP BY 1, 2, 3"""
_LIVE_ORG_FACTS = f"{_FACT_SOURCES},{_LIVE_FACTS}"
assert ORG_FIGURES.count(_LIVE_ORG_FACTS) == 1 and REGION_FIGURES.count(_LIVE_STAGED) == 1
ORG_FIGURES_STORED = ORG_FIGURES.replace(_LIVE_ORG_FACTS, _STORED_FACTS)
REGION_FIGURES_STORED = REGION_FIGURES.replace(_LIVE_STAGED, _STORED_STAGED)

_SCOPE_KINDS = ("district", "street", "community")
# How a place (an organization's tree_id, street_id, community_key) finds the scope of each kind
# containing it (the tree is district → street → community): its tree's root, its street, its
# community.
_SCOPE_JOINS = {
    "district": "sc_district.tree_id = {alias}.tree_id AND sc_district.lft = 1",
    "street": "sc_street.scope_id = {alias}.street_id",
    "community": "sc_community.scope_id = {alias}.community_key",
}


def _scope_kinds(scopes: Sequence[Scope]) -> list[str]:
    present = {"district" if lft == 1 else kind for _pk, _tree, lft, _rght, kind, _parent in scopes}
    return [kind for kind in _SCOPE_KINDS if kind in present]


def scope_columns(scopes: Sequence[Scope], alias: str) -> tuple[str, str]:
    """(columns district_scope, street_scope, community_scope, joins) for rows `alias` carrying a
    place: each place is joined to the scope of each kind containing it. Done after the
    organizations are grouped (`keyed`) or listed, not on `org`: joins to the scope list there were
    estimated ten times too large, and every plan after it with them. One scope: no join (the
    spread is a constant)."""
    kinds = [] if len(scopes) == 1 else _scope_kinds(scopes)
    columns = ", ".join(
        f"sc_{kind}.scope_id AS {kind}_scope" if kind in kinds else f"CAST(NULL AS BIGINT) AS {kind}_scope"
        for kind in _SCOPE_KINDS
    )
    joins = "".join(
        f"LEFT JOIN scope sc_{kind} ON {_SCOPE_JOINS[kind].format(alias=alias)}\n    " for kind in kinds
    )
    return columns, joins


def spread(scopes, source: str, where: str = "") -> str:
    """Rows of `source` (per organization, with its district_scope, street_scope, community_scope)
    repeated for each scope containing them, with a scope_id column: one scope, a constant (every
    row is inside it); otherwise one branch per kind of region asked for."""
    if len(scopes) == 1:
        condition = f" WHERE {where}" if where else ""
        return f"(SELECT CAST(%(only_scope)s AS BIGINT) AS scope_id, s.* FROM {source} s{condition})"
    condition = f" AND ({where})" if where else ""
    branches = [
        f"SELECT s.{kind}_scope AS scope_id, s.* FROM {source} s WHERE s.{kind}_scope IS NOT NULL{condition}"
        for kind in _scope_kinds(scopes)
    ]
    return "(" + "\n    UNION ALL\n    ".join(branches) + ")"


# Scopes spanning more region trees than this read every member status event once (hashed) rather
# than only those of the members they count: at L a district's refresh reads ~1 % of the 334k events
# by index, a snapshot or all districts read them all anyway (docs/benchmarks.md).
ALL_EVENTS_TREES = 8


def reads_all_events(scopes: Sequence[Scope]) -> bool:
    return len({tree_id for _pk, tree_id, _lft, _rght, _kind, _parent in scopes}) > ALL_EVENTS_TREES


def list_markers(scopes: Sequence[Scope]) -> dict[str, str]:
    """The lists' markers: `{uncovered_numbers}` (each uncovered organization's place in the list of
    the scope of each kind containing it), `{listed_somewhere}` (within LIST_LIMIT in one of them),
    and for each kind `{lead_<kind>}` and `{uncovered_<kind>}` (the scope of that kind whose list
    holds the row, else NULL). One scope: a constant, every organization is inside it."""
    order = "ORDER BY f.instructed, f.id"
    markers: dict[str, str] = {}
    numbers: list[str] = []
    if len(scopes) == 1:
        kinds = ["district"]  # the one scope, whatever its kind, in the first column
        scope_of = {"district": "CAST(%(only_scope)s AS BIGINT)"}
        numbers.append(f"ROW_NUMBER() OVER ({order}) AS district_no")
    else:
        kinds = _scope_kinds(scopes)
        scope_of = {kind: f"sc_{kind}.scope_id" for kind in kinds}
        place = {"district": "f.tree_id", "street": "f.street_id", "community": "f.community_key"}
        numbers += [f"ROW_NUMBER() OVER (PARTITION BY {place[kind]} {order}) AS {kind}_no" for kind in kinds]
    for kind in _SCOPE_KINDS:
        if kind in kinds:
            markers[f"{{lead_{kind}}}"] = scope_of[kind]
            markers[f"{{uncovered_{kind}}}"] = (
                f"CASE WHEN u.{kind}_no <= %(list_limit)s THEN {scope_of[kind]} END"
            )
        else:
            markers[f"{{lead_{kind}}}"] = markers[f"{{uncovered_{kind}}}"] = "CAST(NULL AS BIGINT)"
            numbers.append(f"CAST(NULL AS BIGINT) AS {kind}_no")
    markers["{uncovered_numbers}"] = ", ".join(numbers)
    markers["{listed_somewhere}"] = " OR ".join(
        f"{markers[f'{{uncovered_{kind}}}']} IS NOT NULL" for kind in kinds
    )
    return markers


# The member rows each status marker serves: the ids of the members counted, the counting row's id.
_STATUS_MEMBERS = {
    "employed": ("employed", "m.id"),
    "held": ("(SELECT member_id AS id FROM held)", "m.member_id"),
}


def _status_marker_pair(name: str, every_event: bool, lateral: bool) -> dict[str, str]:
    """`{<name>_events}` and `{<name>_status}` (see _status_markers)."""
    source, member_id = _STATUS_MEMBERS[name]
    events = _ALL_EVENTS
    if not every_event and not lateral:
        events += f"\n        JOIN {source} mm ON mm.id = e.member_id"
    status = (STATUS_LATERAL if lateral else STATUS_JOIN).replace("{id}", member_id)
    return {f"{{{name}_events}}": events, f"{{{name}_status}}": status}


def _status_markers(scopes: Sequence[Scope], vendor: str) -> dict[str, str]:
    """`{employed_events}`, `{held_events}`: the events `status_on_day` reads, every one (a province,
    or a district on SQLite: joined to the members counted); `{employed_status}`, `{held_status}`:
    how the members get their status (STATUS_JOIN or STATUS_LATERAL). With LATERAL the
    `status_on_day` CTE is left unreferenced, and PostgreSQL does not run an unreferenced CTE."""
    every_event = reads_all_events(scopes)
    lateral = not every_event and vendor == "postgresql"
    return {
        **_status_marker_pair("employed", every_event, lateral),
        **_status_marker_pair("held", every_event, lateral),
    }


def _scoped(sql: str, scopes: Sequence[Scope], values: dict, vendor: str) -> tuple[str, list]:
    # a community's id when communities are among the scopes (else NULL for all: fewer groups)
    community_key = (
        "CASE WHEN r.kind = 'community' THEN r.id END"
        if "community" in _scope_kinds(scopes)
        else "CAST(NULL AS BIGINT)"
    )
    scope_cte, scope_params = scope_values(scopes)
    predicate, predicate_params = in_scopes(scopes)
    join, scope_id, join_params = scope_join(scopes)
    for marker, text in (
        ("{scope}", scope_cte),
        ("{in_scopes}", predicate),
        ("{scope_join}", join),
        ("{scope_id}", scope_id),
        ("{community_key}", community_key),
        ("{keyed_scopes}", scope_columns(scopes, "k")[0]),
        ("{keyed_scope_joins}", scope_columns(scopes, "k")[1]),
        ("{list_scope_joins}", scope_columns(scopes, "f")[1]),
        ("{spread_keyed}", spread(scopes, "keyed")),
        *list_markers(scopes).items(),
        *_status_markers(scopes, vendor).items(),
    ):
        sql = sql.replace(marker, text)
    return bind(
        sql, {**values, **scope_params, **predicate_params, **join_params, "only_scope": scopes[0][0]}
    )


def org_figures_statement(
    scopes,
    day: date,
    org_filter: OrgFilter,
    *,
    large_min_staff,
    should_build_min,
    list_limit,
    vendor: str = "postgresql",
    stored: bool = False,
):
    """`scopes`: (id, tree_id, lft, rght, kind, parent_id) of each region asked for; `vendor`: the
    database's (connection.vendor); `stored`: the facts read from the stored rows (ORG_FACT_TABLE)
    rather than computed from the day's."""
    filters, filter_values = org_filter.where()
    values = {
        "day": day,
        "year": day.year,
        "true": True,
        "large_min_staff": large_min_staff,
        "should_build_min": should_build_min,
        "list_limit": list_limit,
    }
    template = ORG_FIGURES_STORED if stored else ORG_FIGURES
    return _scoped(template.replace("{filters}", filters), scopes, {**values, **filter_values}, vendor)


def region_figures_statement(scopes, day: date, vendor: str = "postgresql", stored: bool = False):
    return _scoped(
        REGION_FIGURES_STORED if stored else REGION_FIGURES, scopes, {"day": day, "true": True}, vendor
    )


def _fact_status_markers(kind: str, every_event: bool) -> dict[str, str]:
    """The status markers of a facts refresh (PostgreSQL): every event hashed once (all the facts),
    or each counted member's latest event through the member index (a few: LATERAL)."""
    return _status_marker_pair(kind, every_event, lateral=not every_event)


def org_facts_insert(day: date, only: str | None) -> tuple[str, list]:
    """INSERT the stored facts (ORG_FACT_TABLE) of the organizations active on `day`: all of them
    (`only` None), or those whose id is in the table `only` (one `id` column). PostgreSQL."""
    sql = INSERT_ORG_FACTS
    for marker, text in (
        ("{in_scopes}", "TRUE"),
        ("{community_key}", "CAST(NULL AS BIGINT)"),
        ("{filters}", f"\n      AND o.id IN (SELECT id FROM {only})" if only else ""),
        *_fact_status_markers("employed", only is None).items(),
    ):
        sql = sql.replace(marker, text)
    return bind(sql, {"day": day, "year": day.year})


def member_facts_insert(day: date, only: str | None) -> tuple[str, list]:
    """INSERT the stored facts (MEMBER_FACT_TABLE) of the members held by a party organization on
    `day`: all of them (`only` None), or those whose id is in the table `only`. PostgreSQL."""
    sql = INSERT_MEMBER_FACTS
    for marker, text in (
        ("{in_scopes}", f"m.id IN (SELECT id FROM {only})" if only else "TRUE"),
        ("{only_transfers}", f" AND t.member_id IN (SELECT id FROM {only})" if only else ""),
        *_fact_status_markers("held", only is None).items(),
    ):
        sql = sql.replace(marker, text)
    return bind(sql, {"day": day})
