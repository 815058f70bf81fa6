"""Hand-written PostgreSQL for the coverage figures: the benchmark's yardstick (bench_coverage.py).

Written directly against the tables, the way a DBA would (GROUPING SETS, FILTER,
tree_id = ANY), independent of stats.coverage. Two sets:
- `headline`: only the headline figures per district (total, single, joint,
  fallback, work_covered, should_build, the same for ≥ 30 staff, party
  organizations by kind and mode, members by stage);
- `full`: the same figures as the engine's result: the headline, the breakdowns
  by street, kind and management mode, the should-build list with names, the
  streets' names, party organizations and members per street.
The active-on-the-day rules are the engine's (docs/coverage.md).
"""

import json
from datetime import date

ORG_BASE = """
o AS MATERIALIZED (
    SELECT o.id, r.tree_id,
           CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END AS street_id,
           o.kind, o.management_mode, o.staff_count, o.staff_count >= %(large)s AS large
    FROM orgs_organization o JOIN orgs_region r ON r.id = o.region_id
    WHERE r.tree_id = ANY(%(trees)s)
      AND EXISTS (SELECT 1 FROM orgs_organizationstatuschange h
                  WHERE h.organization_id = o.id AND h.kind IN ('registered', 'reinstated')
                    AND COALESCE(h."on", %(day)s) <= %(day)s AND COALESCE(h.until, %(day)s + 1) > %(day)s)
), k AS (
    SELECT l.organization_id AS id,
           MIN(CASE p.building_mode WHEN 'single' THEN 1 WHEN 'joint' THEN 2 ELSE 3 END) AS rank
    FROM branches_coveragelink l JOIN branches_partyorganization p ON p.id = l.party_organization_id
    WHERE l.since <= %(day)s AND (l.until IS NULL OR l.until > %(day)s) AND p.building_mode <> ''
      AND (p.founded_on IS NULL OR p.founded_on <= %(day)s)
      AND (p.dissolved_on IS NULL OR p.dissolved_on > %(day)s)
      AND l.organization_id IN (SELECT id FROM o)
    GROUP BY 1
), f AS (
    SELECT employer_id AS id, COUNT(*) AS n FROM members_member
    WHERE status = 'active' AND full_on <= %(day)s AND employer_id IN (SELECT id FROM o)
    GROUP BY 1
), i AS (
    SELECT DISTINCT organization_id AS id FROM branches_instructorassignment
    WHERE since <= %(day)s AND (until IS NULL OR until > %(day)s) AND organization_id IN (SELECT id FROM o)
)"""

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

MEMBERS = """
SELECT tree_id, street_id, stage, COUNT(*) FROM (
    SELECT r.tree_id, CASE r.kind WHEN 'street' THEN r.id WHEN 'community' THEN r.parent_id END AS street_id,
           CASE WHEN m.full_on <= %(day)s THEN 'full' WHEN m.admitted_on <= %(day)s THEN 'probationary'
                WHEN m.candidate_on <= %(day)s THEN 'candidate' WHEN m.activist_on <= %(day)s THEN 'activist'
                WHEN m.applied_on <= %(day)s THEN 'applicant' END AS stage
    FROM members_member m
    JOIN branches_partyorganization p ON p.id = m.party_organization_id
    JOIN orgs_region r ON r.id = p.region_id
    WHERE m.status = 'active' AND r.tree_id = ANY(%(trees)s)
) staged
WHERE stage IS NOT NULL
GROUP BY 1, 2, 3
"""


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


def _run(trees: list[int], day: date, jit: bool, statements) -> None:
    from django.db import connection, transaction

    params = _params(trees, day)
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
    result = {
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
CREATE TABLE IF NOT EXISTS bench_hand_snapshot (
    tree_id integer, day date, figures jsonb, PRIMARY KEY (tree_id, day)
)
"""


def full_stored(trees: list[int], day: date, *, jit: bool = True) -> None:
    """`full`, then stored the way snapshots are: one JSON row per district and date, upserted in one
    transaction (into bench_hand_snapshot, created by bench_coverage.py)."""
    from django.db import connection, transaction

    figures = full(trees, day, jit=jit)
    rows = [(tree, day, json.dumps(_json_keys(row))) for tree, row in figures.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_hand_snapshot VALUES (%s, %s, %s) "
            "ON CONFLICT (tree_id, day) DO UPDATE SET figures = EXCLUDED.figures",
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
