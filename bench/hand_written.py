"""Hand-written PostgreSQL for the coverage figures: the benchmark's yardstick (bench_coverage.py).

Written directly against the tables, the way a DBA would (joins rather than
`IN (SELECT …)` semi-joins, which PostgreSQL estimated at 200 rows and looped over
indexes; GROUPING SETS for the breakdowns; FILTER counts; tree_id = ANY),
independent of stats.coverage. Two sets:
- `headline`: only the headline figures per district (total, single, joint,
  fallback, work_covered, should_build, the same for ≥ 30 staff, party
  organizations by kind and mode, members by stage);
- `full`: the same figures as the engine's result: the headline, the breakdowns
  by street, kind and management mode, the should-build list with names, the
  streets' names, party organizations and members per street.
The active-on-the-day rules are the engine's (docs/coverage.md), members' status on the day
members.services.periods' (written here independently of the engine's SQL).
"""

import json
from datetime import date
from typing import Any

# A member's status on the day (members.services.periods): per member with any status history (a
# status change with to_status, a received transfer out of or into the system), the status of the
# last event on or before the day, the events ordered by (day, kind, id) — same day: transfers after
# status changes, then the higher id; when all their events are later: 'active', or
# 'transferred_out' (not yet in the system) if the first is a transfer in; members without history:
# m.status.
HISTORY = """
    SELECT e.member_id,
           (ARRAY_AGG(e.status ORDER BY e.day DESC, e.src DESC, e.id DESC)
               FILTER (WHERE e.day <= %(day)s))[1] AS last_status,
           (ARRAY_AGG(e.src = 1 AND e.status = 'active' ORDER BY e.day, e.src, e.id))[1] AS arrives
    FROM (
        SELECT member_id, "on" AS day, to_status AS status, 0 AS src, id
        FROM members_stagechange WHERE to_status <> ''
        UNION ALL
        SELECT member_id, received_on, CASE direction WHEN 'in' THEN 'active' ELSE 'transferred_out' END,
               1, id
        FROM members_transfer
        WHERE status = 'received' AND direction IN ('in', 'out') AND received_on IS NOT NULL
    ) e
    WHERE e.member_id IN ({members})
    GROUP BY e.member_id"""
ACTIVE_ON_DAY = (
    "(CASE WHEN h.member_id IS NULL THEN m.status"
    " ELSE COALESCE(h.last_status, CASE WHEN h.arrives THEN 'transferred_out' ELSE 'active' END) END)"
    " = 'active'"
)
# The party organization holding a member on the day (members.services.periods): per member with a
# received transfer, the destination (to, else from) of the last received on or before the day by
# (received_on, id); if none by then, the origin (from, else to) of the first; else today's.
HOLDER = """
    SELECT member_id,
           CASE WHEN COUNT(*) FILTER (WHERE received_on <= %(day)s) > 0
                THEN (ARRAY_AGG(COALESCE(to_party_organization_id, from_party_organization_id)
                                ORDER BY received_on DESC, id DESC)
                          FILTER (WHERE received_on <= %(day)s))[1]
                ELSE (ARRAY_AGG(COALESCE(from_party_organization_id, to_party_organization_id)
                                ORDER BY received_on, id))[1] END AS po_id
    FROM members_transfer
    WHERE status = 'received' AND received_on IS NOT NULL
    GROUP BY member_id"""
EMPLOYED = "SELECT m.id FROM o JOIN members_member m ON m.employer_id = o.id"

ORG_BASE = (
    """
o AS MATERIALIZED (
    SELECT o.id, r.tree_id,
           CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END AS street_id,
           o.kind, o.registration, o.management_mode, o.staff_count, o.staff_count >= %(large)s AS large
    FROM orgs_organization o JOIN orgs_region r ON r.id = o.region_id
    WHERE r.tree_id = ANY(%(trees)s)
      AND EXISTS (SELECT 1 FROM orgs_organizationstatuschange h
                  WHERE h.organization_id = o.id AND h.kind IN ('registered', 'reinstated')
                    AND COALESCE(h."on", %(day)s) <= %(day)s AND COALESCE(h.until, %(day)s + 1) > %(day)s)
), k AS (
    SELECT o.id, MIN(CASE p.building_mode WHEN 'single' THEN 1 WHEN 'joint' THEN 2 ELSE 3 END) AS rank
    FROM o
    JOIN branches_coveragelink l ON l.organization_id = o.id
    JOIN branches_partyorganization p ON p.id = l.party_organization_id
    WHERE l.since <= %(day)s AND (l.until IS NULL OR l.until > %(day)s)
      AND p.building_mode IN ('single', 'joint', 'fallback')
      AND (p.founded_on IS NULL OR p.founded_on <= %(day)s)
      AND (p.dissolved_on IS NULL OR p.dissolved_on > %(day)s)
    GROUP BY o.id
), f AS (
    SELECT o.id, COUNT(*) AS n
    FROM o JOIN members_member m ON m.employer_id = o.id
    LEFT JOIN ("""
    + HISTORY.replace("{members}", EMPLOYED)
    + """) h
           ON h.member_id = m.id
    WHERE m.full_on <= %(day)s AND """
    + ACTIVE_ON_DAY
    + """
    GROUP BY o.id
), i AS (
    SELECT DISTINCT o.id
    FROM o JOIN branches_instructorassignment a ON a.organization_id = o.id
    WHERE a.since <= %(day)s AND (a.until IS NULL OR a.until > %(day)s)
)"""
)

COUNTS = """
       COUNT(*),
       COUNT(*) FILTER (WHERE k.rank = 1),
       COUNT(*) FILTER (WHERE k.rank = 2),
       COUNT(*) FILTER (WHERE k.rank = 3),
       COUNT(*) FILTER (WHERE k.rank IS NULL AND i.id IS NOT NULL),
       COUNT(*) FILTER (WHERE f.n >= %(should)s AND k.rank IS DISTINCT FROM 1),
       COUNT(*) FILTER (WHERE large),
       COUNT(*) FILTER (WHERE large AND k.rank = 1),
       COUNT(*) FILTER (WHERE large AND k.rank = 2),
       COUNT(*) FILTER (WHERE large AND k.rank = 3),
       COUNT(*) FILTER (WHERE large AND k.rank IS NULL AND i.id IS NOT NULL),
       COUNT(*) FILTER (WHERE large AND f.n >= %(should)s AND k.rank IS DISTINCT FROM 1)"""
KEYS = ("total", "single", "joint", "fallback", "work_covered", "should_build")

HEADLINE_ORGS = f"""
WITH {ORG_BASE}
SELECT o.tree_id, {COUNTS}
FROM o LEFT JOIN k USING (id) LEFT JOIN f USING (id) LEFT JOIN i USING (id)
GROUP BY o.tree_id
"""

# GROUPING(street_id, kind, management_mode): 7 = the district, 3 = a street, 5 = a kind, 6 = a mode.
FULL_ORGS = f"""
WITH {ORG_BASE}
SELECT 'group', o.tree_id, o.street_id, o.kind, o.management_mode,
       GROUPING(o.street_id, o.kind, o.management_mode), {COUNTS},
       NULL::bigint, NULL::text, NULL::bigint, NULL::int, NULL::int
FROM o LEFT JOIN k USING (id) LEFT JOIN f USING (id) LEFT JOIN i USING (id)
GROUP BY GROUPING SETS (
    (o.tree_id), (o.tree_id, o.street_id), (o.tree_id, o.kind), (o.tree_id, o.management_mode)
)
UNION ALL
SELECT 'list', o.tree_id, o.street_id, o.kind, o.management_mode, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       o.id, org.name, f.n, k.rank, o.staff_count
FROM o JOIN f USING (id) LEFT JOIN k USING (id) JOIN orgs_organization org ON org.id = o.id
WHERE f.n >= %(should)s AND k.rank IS DISTINCT FROM 1
"""

STREETS = """
SELECT tree_id, id, code, name FROM orgs_region WHERE kind = 'street' AND tree_id = ANY(%(trees)s)
"""

PARTY_ORGANIZATIONS = """
SELECT r.tree_id, CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END, p.kind,
       p.building_mode, COUNT(*)
FROM branches_partyorganization p JOIN orgs_region r ON r.id = p.region_id
WHERE r.tree_id = ANY(%(trees)s)
  AND (p.founded_on IS NULL OR p.founded_on <= %(day)s)
  AND (p.dissolved_on IS NULL OR p.dissolved_on > %(day)s)
GROUP BY 1, 2, 3, 4
"""

MEMBERS = (
    """
WITH held AS (
    SELECT m.*, COALESCE(t.po_id, m.party_organization_id) AS holder
    FROM members_member m LEFT JOIN ("""
    + HOLDER
    + """) t ON t.member_id = m.id
)
SELECT tree_id, street_id, stage, COUNT(*) FROM (
    SELECT r.tree_id, CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END AS street_id,
           CASE WHEN m.full_on <= %(day)s THEN 'full' WHEN m.admitted_on <= %(day)s THEN 'probationary'
                WHEN m.candidate_on <= %(day)s THEN 'candidate' WHEN m.activist_on <= %(day)s THEN 'activist'
                WHEN m.applied_on <= %(day)s THEN 'applicant' END AS stage
    FROM held m
    JOIN branches_partyorganization p ON p.id = m.holder
    JOIN orgs_region r ON r.id = p.region_id
    LEFT JOIN ("""
    + HISTORY.replace(
        "{members}",
        """SELECT m.id FROM held m
                          JOIN branches_partyorganization p ON p.id = m.holder
                          JOIN orgs_region r ON r.id = p.region_id WHERE r.tree_id = ANY(%(trees)s)""",
    )
    + """) h ON h.member_id = m.id
    WHERE r.tree_id = ANY(%(trees)s) AND """
    + ACTIVE_ON_DAY
    + """
) staged
WHERE stage IS NOT NULL
GROUP BY 1, 2, 3
"""
)


def _params(trees: list[int], day: date) -> dict:
    from django.conf import settings

    return {
        "trees": trees,
        "day": day,
        "large": settings.LARGE_ORG_MIN_STAFF,
        "should": settings.SHOULD_BUILD_MIN_FULL_MEMBERS,
    }


def _empty(trees) -> dict:
    return {
        tree: {**dict.fromkeys(KEYS, 0), "large": dict.fromkeys(KEYS, 0), "po": {}, "members": {}}
        for tree in trees
    }


def _run(trees: list[int], day: date, jit: bool, statements, extra: dict | None = None) -> None:
    from django.db import connection, transaction

    params = {**_params(trees, day), **(extra or {})}
    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        for sql, consume in statements:
            cursor.execute(sql, params)
            consume(cursor.fetchall())


def headline(trees: list[int], day: date, *, jit: bool = True) -> dict[int, dict]:
    """{tree_id: headline figures}, in three statements and one transaction."""
    result = _empty(trees)

    def orgs(rows):
        for tree, *counts in rows:
            result[tree].update(zip(KEYS, counts[:6], strict=True))
            result[tree]["large"] = dict(zip(KEYS, counts[6:], strict=True))

    def pos(rows):
        for tree, _street, kind, mode, count in rows:
            result[tree]["po"][(kind, mode)] = result[tree]["po"].get((kind, mode), 0) + count

    def members(rows):
        for tree, _street, stage, count in rows:
            result[tree]["members"][stage] = result[tree]["members"].get(stage, 0) + count

    _run(
        trees,
        day,
        jit,
        [
            (HEADLINE_ORGS, orgs),
            (
                PARTY_ORGANIZATIONS.replace(
                    "CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END", "NULL"
                ),
                pos,
            ),
            (
                MEMBERS.replace(
                    "CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END", "NULL"
                ),
                members,
            ),
        ],
    )
    return result


GROUPS = {7: "all", 3: "street", 5: "kind", 6: "management_mode"}


def full(trees: list[int], day: date, *, jit: bool = True) -> dict[int, dict]:
    """{tree_id: the engine's figures, in plain dicts}: headline, breakdowns, list, streets, party
    organizations and members per street; four statements in one transaction."""
    result: dict[int, dict[str, Any]] = {
        tree: {
            "by_street": {},
            "by_kind": {},
            "by_management_mode": {},
            "list": [],
            "streets": {},
            "po": {},
            "members": {},
        }
        for tree in trees
    }

    def orgs(rows):
        for group, tree, street, kind, mode, grouping, *rest in rows:
            counts, extra = rest[:12], rest[12:]
            if group == "list":
                result[tree]["list"].append(
                    dict(zip(("id", "name", "full_members", "rank", "staff_count"), extra, strict=True))
                )
                continue
            figures = {
                **dict(zip(KEYS, counts[:6], strict=True)),
                "large": dict(zip(KEYS, counts[6:], strict=True)),
            }
            where = GROUPS[grouping]
            if where == "all":
                result[tree].update(figures)
            else:
                key = {"street": street, "kind": kind, "management_mode": mode}[where]
                result[tree][f"by_{where}"][key] = figures

    def streets(rows):
        for tree, pk, code, name in rows:
            result[tree]["streets"][pk] = (code, name)

    def pos(rows):
        for tree, street, kind, mode, count in rows:
            result[tree]["po"][(street, kind, mode)] = count

    def members(rows):
        for tree, street, stage, count in rows:
            result[tree]["members"][(street, stage)] = count

    _run(
        trees,
        day,
        jit,
        [(FULL_ORGS, orgs), (STREETS, streets), (PARTY_ORGANIZATIONS, pos), (MEMBERS, members)],
    )
    return result


STORE = """
CREATE TABLE IF NOT EXISTS bench_hand_snapshots (
    region_id integer, day date, figures jsonb, PRIMARY KEY (region_id, day)
)
"""

# The nightly snapshot's content, for every district and each of its streets, in one pass: the
# per-organization facts once, GROUPING SETS for the district's and the streets' breakdowns (by
# street, kind, management mode, registration × mode), the lists (leads with their evidence: full
# members, the latest annual inspection's declaration, staff size; the first LIST_LIMIT without
# org coverage) for the district and for each street.
SNAPSHOT_COUNTS = (
    COUNTS.replace("k.rank", "rank").replace("i.id IS NOT NULL", "instructed").replace("f.n", "n")
)
SNAPSHOT_ORGS = f"""
WITH {ORG_BASE}, d AS (
    SELECT DISTINCT ON (o.id) o.id, x.has_party_organization AS has_po, x.full_members_employed AS fm
    FROM o JOIN orgs_annualinspection x ON x.organization_id = o.id
    WHERE x.year <= %(year)s
      AND (x.has_party_organization IS NOT NULL OR x.full_members_employed IS NOT NULL)
    ORDER BY o.id, x.year DESC
), x AS MATERIALIZED (
    SELECT o.*, k.rank, f.n, i.id IS NOT NULL AS instructed,
           COALESCE(f.n >= %(should)s AND k.rank IS DISTINCT FROM 1, false) AS sb,
           COALESCE(d.has_po OR d.fm >= %(should)s, false) AS declares
    FROM o LEFT JOIN k USING (id) LEFT JOIN f USING (id) LEFT JOIN i USING (id) LEFT JOIN d USING (id)
)
SELECT 'group', tree_id, street_id, registration, kind, management_mode,
       GROUPING(street_id, registration, kind, management_mode), {SNAPSHOT_COUNTS},
       NULL::bigint, NULL::text, NULL::bigint, NULL::int, NULL::int, NULL::boolean, NULL::boolean,
       NULL::boolean
FROM x
GROUP BY GROUPING SETS (
    (tree_id), (tree_id, street_id), (tree_id, kind), (tree_id, management_mode),
    (tree_id, registration, management_mode),
    (tree_id, street_id, kind), (tree_id, street_id, management_mode),
    (tree_id, street_id, registration, management_mode)
)
UNION ALL
SELECT 'lead', x.tree_id, x.street_id, x.registration, x.kind, x.management_mode, 0,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       x.id, org.name, x.n, x.rank, x.staff_count, x.instructed, x.sb, x.declares
FROM x JOIN orgs_organization org USING (id)
WHERE x.sb OR (x.rank IS NULL AND (x.large OR x.declares))
UNION ALL
SELECT CASE WHEN u.tree_no <= %(limit)s THEN 'uncovered' ELSE 'street_uncovered' END,
       u.tree_id, u.street_id, u.registration, u.kind, u.management_mode,
       CASE WHEN u.street_no <= %(limit)s THEN 1 ELSE 0 END,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       u.id, org.name, u.n, u.rank, u.staff_count, u.instructed, u.sb, u.declares
FROM (
    SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.tree_id ORDER BY x.instructed, x.id) AS tree_no,
           ROW_NUMBER() OVER (PARTITION BY x.street_id ORDER BY x.instructed, x.id) AS street_no
    FROM x WHERE x.rank IS NULL
) u JOIN orgs_organization org USING (id)
WHERE u.tree_no <= %(limit)s OR u.street_no <= %(limit)s
"""

CENTERS = """
SELECT r.tree_id, CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END, r.kind,
       EXISTS (SELECT 1 FROM events_servicecenter c
               WHERE c.region_id = r.id AND c.level = r.kind AND c.is_active),
       COUNT(*)
FROM orgs_region r
WHERE r.tree_id = ANY(%(trees)s) AND r.is_active AND r.kind IN ('street', 'community')
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT r.tree_id, NULL, 'city', true, COUNT(*)
FROM orgs_region r JOIN events_servicecenter c ON c.region_id = r.id AND c.level = 'city' AND c.is_active
WHERE r.tree_id = ANY(%(trees)s)
GROUP BY 1
"""

DISTRICTS = "SELECT tree_id, id FROM orgs_region WHERE parent_id IS NULL AND tree_id = ANY(%(trees)s)"

# GROUPING(street_id, registration, kind, management_mode): a bit set for each column rolled up.
SNAPSHOT_GROUPS: dict[int, str] = {
    15: "all",
    7: "street",
    13: "kind",
    14: "management_mode",
    10: "registration_mode",
}
STREET_GROUPS = {5: "kind", 6: "management_mode", 2: "registration_mode"}
ITEM = ("id", "name", "full_members", "rank", "staff_count", "instructed", "sb", "declares")


DISTRICT_ONLY_ORGS = (
    SNAPSHOT_ORGS.replace(
        """,
    (tree_id, street_id, kind), (tree_id, street_id, management_mode),
    (tree_id, street_id, registration, management_mode)
)""",
        ")",
    )
    .replace(
        """,
           ROW_NUMBER() OVER (PARTITION BY x.street_id ORDER BY x.instructed, x.id) AS street_no""",
        ", 0 AS street_no",
    )
    .replace("WHERE u.tree_no <= %(limit)s OR u.street_no <= %(limit)s", "WHERE u.tree_no <= %(limit)s")
)


def snapshot(trees: list[int], day: date, *, jit: bool = True, streets: bool = True) -> dict[int, dict]:
    """{region id: its snapshot's figures} for every district of `trees` and (`streets`) each of its
    streets: headline, breakdowns, lists, party organizations, members by stage, service centers.
    Without streets: the same content as the engine's result for the districts alone."""
    with_streets = streets
    from stats.conf import stats_setting

    scopes: dict[int, dict] = {}
    district_of: dict[int, int] = {}
    street_scope: dict[int, int] = {}

    def scope(region_id: int) -> dict:
        return scopes.setdefault(
            region_id,
            {
                "by_street": {},
                "by_kind": {},
                "by_management_mode": {},
                "by_registration_mode": {},
                "leads": [],
                "uncovered": [],
                "po": {},
                "members": {},
                "centers": {},
                "streets": {},
            },
        )

    def districts(rows):
        for tree, pk in rows:
            district_of[tree] = pk
            scope(pk)

    def street_rows(rows):
        for tree, pk, code, name in rows:
            scope(district_of[tree])["streets"][pk] = (code, name)
            if with_streets:
                street_scope[pk] = pk
                scope(pk)["streets"][pk] = (code, name)

    def targets(tree, street):
        yield scope(district_of[tree])
        if street in street_scope:
            yield scope(street)

    def orgs(rows):
        for group, tree, street, registration, kind, mode, grouping, *rest in rows:
            counts, extra = rest[:12], rest[12:]
            if group == "group":
                figures = {
                    **dict(zip(KEYS, counts[:6], strict=True)),
                    "large": dict(zip(KEYS, counts[6:], strict=True)),
                }
                where = SNAPSHOT_GROUPS.get(grouping)
                key = {
                    "kind": kind,
                    "management_mode": mode,
                    "registration_mode": (registration, mode),
                    "street": street,
                }.get(where or "")
                if where == "all":
                    scope(district_of[tree]).update(figures)
                elif where is not None:
                    scope(district_of[tree])[f"by_{where}"][key] = figures
                if where == "street" and street in street_scope:
                    scope(street).update(figures)
                elif grouping in STREET_GROUPS and street in street_scope:
                    where = STREET_GROUPS[grouping]
                    key = {"kind": kind, "management_mode": mode}.get(where, (registration, mode))
                    scope(street)[f"by_{where}"][key] = figures
                continue
            item = dict(zip(ITEM, extra, strict=True))
            if group == "lead":
                for target in targets(tree, street):
                    target["leads"].append(item)
            else:
                if group == "uncovered":
                    scope(district_of[tree])["uncovered"].append(item)
                if grouping == 1 and street in street_scope:
                    scope(street)["uncovered"].append(item)

    def pos(rows):
        for tree, street, kind, mode, count in rows:
            for target in targets(tree, street):
                target["po"][(kind, mode)] = target["po"].get((kind, mode), 0) + count

    def members(rows):
        for tree, street, stage, count in rows:
            for target in targets(tree, street):
                target["members"][stage] = target["members"].get(stage, 0) + count

    def centers(rows):
        for tree, street, kind, has, count in rows:
            for target in targets(tree, street) if street else [scope(district_of[tree])]:
                target["centers"][(kind, has)] = target["centers"].get((kind, has), 0) + count

    params = {"year": day.year, "limit": stats_setting("LIST_LIMIT")}
    _run(
        trees,
        day,
        jit,
        [
            (DISTRICTS, districts),
            (STREETS, street_rows),
            (SNAPSHOT_ORGS if with_streets else DISTRICT_ONLY_ORGS, orgs),
            (PARTY_ORGANIZATIONS, pos),
            (MEMBERS, members),
            (CENTERS, centers),
        ],
        extra=params,
    )
    return scopes


def snapshot_stored(trees: list[int], day: date, *, jit: bool = True) -> None:
    """`snapshot`, then stored the way the nightly job stores it: one JSON row per region and date,
    upserted in one transaction (into bench_hand_snapshots, created by bench_coverage.py)."""
    from django.db import connection, transaction

    figures = snapshot(trees, day, jit=jit)
    rows = [(pk, day, json.dumps(_json_keys(row))) for pk, row in figures.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_hand_snapshots VALUES (%s, %s, %s) "
            "ON CONFLICT (region_id, day) DO UPDATE SET figures = EXCLUDED.figures",
            rows,
        )


def _json_keys(value):
    """Tuple and None keys as strings, so the result is JSON."""
    if isinstance(value, dict):
        return {
            "/".join(map(str, key)) if isinstance(key, tuple) else str(key): _json_keys(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_json_keys(item) for item in value]
    return value
