# ruff: noqa: S608  (statements built from model table names and fixed fragments; values are bound)
"""The coverage engine's SQL: four statements, whatever the number of organizations or regions.

Why raw SQL: the figures need two levels of aggregation (per organization its
strongest link, then counts of organizations per group), which the ORM can only
express by repeating a correlated subquery inside every conditional count. Here
each per-organization fact is computed once in a CTE and every grouping reads
the materialised rows. The text is portable (CTEs, CASE, UNION ALL, COALESCE):
it runs on PostgreSQL and on the quick start's SQLite.

Table and column names come from the models' _meta; every value is a bound
parameter. Statements are written with %(name)s markers and turned into
positional parameters by `bind`, so one value can appear many times.
"""

import re
from dataclasses import dataclass
from datetime import date

from branches.models import CoverageLink, InstructorAssignment, PartyOrganization
from members.models import Member
from orgs.models import Organization, Region

MODE_RANK = {"single": 1, "joint": 2, "fallback": 3}  # strongest link first; 0 = not org-covered
STAGES_LATEST_FIRST = (
    ("full", "full_on"),
    ("probationary", "admitted_on"),
    ("candidate", "candidate_on"),
    ("activist", "activist_on"),
    ("applicant", "applied_on"),
)

T = {
    "region": Region._meta.db_table,
    "org": Organization._meta.db_table,
    "po": PartyOrganization._meta.db_table,
    "link": CoverageLink._meta.db_table,
    "assignment": InstructorAssignment._meta.db_table,
    "member": Member._meta.db_table,
}

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
        clauses, values = [], {}
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


SCOPE_CTE = f"""
scope AS (
    SELECT id AS scope_id, tree_id, lft, rght,
           CASE kind WHEN 'community' THEN parent_id END AS up_street_id
    FROM {T["region"]}
    WHERE id IN (%(scope_ids)s)
)"""

# The street of a region: the tree is strictly district → street → community.
STREET_OF_R = "CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END"
IN_SCOPE_R = "r.tree_id = sc.tree_id AND r.lft >= sc.lft AND r.rght <= sc.rght"
PO_ACTIVE = (
    "(p.founded_on IS NULL OR p.founded_on <= %(day)s)"
    " AND (p.dissolved_on IS NULL OR p.dissolved_on > %(day)s)"
)
RANK_CASE = "CASE p.building_mode " + " ".join(f"WHEN '{m}' THEN {r}" for m, r in MODE_RANK.items()) + " END"

# One row per (scope, organization active on the day, inside the scope and the filter), with the
# facts the figures need. `org` is referenced several times, so PostgreSQL materialises it once.
ORG_FACTS = f"""
org AS (
    SELECT sc.scope_id, o.id, o.name, o.kind, o.management_mode, o.staff_count,
           {STREET_OF_R} AS street_id
    FROM scope sc
    JOIN {T["region"]} r ON {IN_SCOPE_R}
    JOIN {T["org"]} o ON o.region_id = r.id
    WHERE (o.status = 'active' OR o.status_changed_on > %(day)s)
      AND (COALESCE(o.registered_on, o.established_on) IS NULL
           OR COALESCE(o.registered_on, o.established_on) <= %(day)s){{filters}}
),
strongest AS (
    SELECT l.organization_id AS org_id, MIN({RANK_CASE}) AS mode_rank
    FROM {T["link"]} l
    JOIN {T["po"]} p ON p.id = l.party_organization_id
    WHERE l.since <= %(day)s AND (l.until IS NULL OR l.until > %(day)s)
      AND {PO_ACTIVE}
      AND p.building_mode IN ('single', 'joint', 'fallback')
      AND l.organization_id IN (SELECT id FROM org)
    GROUP BY l.organization_id
),
instructed AS (
    SELECT DISTINCT a.organization_id AS org_id
    FROM {T["assignment"]} a
    WHERE a.since <= %(day)s AND (a.until IS NULL OR a.until > %(day)s)
      AND a.organization_id IN (SELECT id FROM org)
),
staffed AS (
    SELECT m.employer_id AS org_id, COUNT(*) AS full_members
    FROM {T["member"]} m
    WHERE m.status = 'active' AND m.full_on <= %(day)s
      AND m.employer_id IN (SELECT id FROM org)
    GROUP BY m.employer_id
),
facts AS (
    SELECT o.scope_id, o.id, o.name, o.kind, o.management_mode, o.staff_count, o.street_id,
           COALESCE(s.full_members, 0) AS full_members,
           COALESCE(k.mode_rank, 0) AS mode_rank,
           CASE WHEN o.staff_count >= %(large_min_staff)s THEN 1 ELSE 0 END AS large,
           CASE WHEN k.mode_rank = 1 THEN 1 ELSE 0 END AS is_single,
           CASE WHEN k.mode_rank = 2 THEN 1 ELSE 0 END AS is_joint,
           CASE WHEN k.mode_rank = 3 THEN 1 ELSE 0 END AS is_fallback,
           CASE WHEN k.mode_rank IS NULL AND i.org_id IS NOT NULL THEN 1 ELSE 0 END AS is_work,
           CASE WHEN COALESCE(s.full_members, 0) >= %(should_build_min)s AND COALESCE(k.mode_rank, 0) <> 1
                THEN 1 ELSE 0 END AS is_should_build
    FROM org o
    LEFT JOIN strongest k ON k.org_id = o.id
    LEFT JOIN instructed i ON i.org_id = o.id
    LEFT JOIN staffed s ON s.org_id = o.id
)"""

COUNT_COLUMNS = ("total", "single", "joint", "fallback", "work_covered", "should_build")
_AGGREGATES = ", ".join(
    [
        "COUNT(*)",
        "SUM(is_single)",
        "SUM(is_joint)",
        "SUM(is_fallback)",
        "SUM(is_work)",
        "SUM(is_should_build)",
        "SUM(large)",
        "SUM(large * is_single)",
        "SUM(large * is_joint)",
        "SUM(large * is_fallback)",
        "SUM(large * is_work)",
        "SUM(large * is_should_build)",
    ]
)
_NO_COUNTS = ", ".join(["0"] * 12)

# Result columns of ORG_FIGURES, in order. The `list` rows carry one should-build organization each
# (its counts are zeros); the grouped rows carry counts (their org columns are NULL).
ORG_FIGURES_COLUMNS = (
    "scope_id",
    "grp",
    "street_id",
    "kind",
    "management_mode",
    "org_id",
    "org_name",
    "full_members",
    "mode_rank",
    "staff_count",
    *COUNT_COLUMNS,
    *(f"large_{name}" for name in COUNT_COLUMNS),
)

ORG_FIGURES = f"""
WITH {SCOPE_CTE},{ORG_FACTS}
SELECT scope_id, 'all', CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR(30)), CAST(NULL AS VARCHAR(20)),
       CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR(200)), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER),
       CAST(NULL AS INTEGER), {_AGGREGATES}
FROM facts GROUP BY scope_id
UNION ALL
SELECT scope_id, 'street', street_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, {_AGGREGATES}
FROM facts GROUP BY scope_id, street_id
UNION ALL
SELECT scope_id, 'kind', NULL, kind, NULL, NULL, NULL, NULL, NULL, NULL, {_AGGREGATES}
FROM facts GROUP BY scope_id, kind
UNION ALL
SELECT scope_id, 'management_mode', NULL, NULL, management_mode, NULL, NULL, NULL, NULL, NULL, {_AGGREGATES}
FROM facts GROUP BY scope_id, management_mode
UNION ALL
SELECT scope_id, 'list', street_id, kind, management_mode, id, name, full_members, mode_rank, staff_count,
       {_NO_COUNTS}
FROM facts WHERE is_should_build = 1
"""

# Party organizations active on the day whose region is inside the scope.
PARTY_ORGANIZATIONS = f"""
WITH {SCOPE_CTE}
SELECT sc.scope_id, {STREET_OF_R} AS street_id, p.kind, p.building_mode, COUNT(*)
FROM scope sc
JOIN {T["region"]} r ON {IN_SCOPE_R}
JOIN {T["po"]} p ON p.region_id = r.id
WHERE {PO_ACTIVE}
GROUP BY 1, 2, 3, 4
"""

_STAGE_ON_DAY = (
    "CASE "
    + " ".join(f"WHEN m.{column} <= %(day)s THEN '{stage}'" for stage, column in STAGES_LATEST_FIRST)
    + " END"
)

# Active members held by a party organization inside the scope, by their stage on the day (the
# latest stage whose date is on or before it; none yet: not counted).
MEMBERS = f"""
WITH {SCOPE_CTE}
SELECT sc.scope_id, {STREET_OF_R} AS street_id, {_STAGE_ON_DAY} AS stage, COUNT(*)
FROM scope sc
JOIN {T["region"]} r ON {IN_SCOPE_R}
JOIN {T["po"]} p ON p.region_id = r.id
JOIN {T["member"]} m ON m.party_organization_id = p.id
WHERE m.status = 'active' AND {_STAGE_ON_DAY} IS NOT NULL
GROUP BY 1, 2, 3
"""

# The streets a scope reports on: those inside it, or for a community the street above it.
STREETS = f"""
WITH {SCOPE_CTE}
SELECT sc.scope_id, r.id, r.code, r.name
FROM scope sc
JOIN {T["region"]} r ON r.kind = 'street' AND (({IN_SCOPE_R}) OR r.id = sc.up_street_id)
ORDER BY sc.scope_id, r.code
"""


def org_figures_statement(
    scope_ids: tuple[int, ...], day: date, org_filter: OrgFilter, *, large_min_staff, should_build_min
):
    filters, filter_values = org_filter.where()
    sql = ORG_FIGURES.replace("{filters}", filters)
    return bind(
        sql,
        {
            "scope_ids": scope_ids,
            "day": day,
            "large_min_staff": large_min_staff,
            "should_build_min": should_build_min,
            **filter_values,
        },
    )


def scoped_statement(sql: str, scope_ids: tuple[int, ...], day: date | None = None):
    return bind(sql, {"scope_ids": scope_ids, "day": day})
