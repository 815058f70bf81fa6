# ruff: noqa: S608  (statements built from model table names and fixed fragments; values are bound)
"""Stored coverage facts, kept current from one day to the next (PostgreSQL): what the nightly
snapshot reads instead of recomputing a province's history every night.

The coverage figures are sums over organizations and members of facts each of them has on the day
(stats.coverage.sql's `facts` and `held`): an organization's strongest link, work coverage, full
members employed, latest declared party section; a member's holding party organization, stage,
temporary or flowing period and status. Those facts are stored (stats.models.OrgFact, MemberFact) as
of one day (CoverageFactsState.day). Moving them to another day recomputes only the organizations
and members whose facts may differ, with the live statements' own CTEs restricted to them:

- those whose source rows changed since the last refresh: the database's triggers record every
  insert, update, delete and COPY of the source tables (stats.models.FactChange, migration 0005), so
  a back-dated row, an edit in the admin, an import or a raw UPDATE is never missed; a party
  organization's change reaches the organizations it links and the members it holds, a member's
  change the organization employing them;
- those with a dated row whose date falls between the stored day and the new one: a link or an
  instructor assignment starting or ending, a status period of the organization, a party
  organization founded or dissolved, a stage date, a status change or received transfer, a
  temporary or flowing period starting or ending, an annual inspection of a year reached.

A TRUNCATE of a source table, no stored day yet, or more than FULL_SHARE of the rows to redo:
every fact is rebuilt. docs/coverage.md has the rules; tests/stats/test_facts.py shows the stored
figures equal to the live ones after changes of every kind, on later and on earlier days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from stats.coverage import sql
from stats.coverage.engine import _local_settings
from stats.coverage.sql import T

# More than this share of the stored organizations or members to redo: rebuild everything (one
# pass over every table costs less than that many index probes).
FULL_SHARE = 0.25
FULL_MIN = 1000  # … and more than this many (a small district is never rebuilt for a few rows)
# Days between the stored day and the new one up to which the members' crossed stage dates are looked
# up by day in the GIN index; beyond, each member's dates are compared (one scan of the table).
MAX_LISTED_DAYS = 62
# Serialises refreshes (and a snapshot reading the facts: stats.snapshots) across processes.
ADVISORY_LOCK = 0x5C0BE2A6E
STATE_TABLE = "stats_coveragefactsstate"
CHANGE_TABLE = "stats_factchange"
COUNT_INSERT = f"{sql.MEMBER_COUNT_TABLE} (region_id, stage, affiliation, members, active)"
DIRTY = {"o": "coverage_dirty_orgs", "m": "coverage_dirty_members", "p": "coverage_dirty_pos"}


@dataclass(frozen=True)
class FactsRefresh:
    day: date
    rebuilt: bool  # every fact recomputed (else only `orgs` and `members`)
    orgs: int  # organizations whose facts were recomputed
    members: int  # members whose facts were recomputed


def facts_available() -> bool:
    """Stored facts work on PostgreSQL only (the triggers); elsewhere the figures are computed live."""
    return connection.vendor == "postgresql"


def _between(column: str) -> str:
    """`column`'s date falls in (lo, hi]: a `column <= day` condition differs on the two days."""
    return f"({column} > %(lo)s AND {column} <= %(hi)s)"


def _stage_days_crossed(by_days: bool) -> str:
    """Members with a stage date in (lo, hi]: the days listed (`%(days)s`), through the GIN index on
    the five dates (migration stats 0005); or, for a long gap, each date compared (a table scan)."""
    columns = [f"m.{column}" for column in sql.STAGE_DATE_FIELD.values()]
    if by_days:
        return f"ARRAY[{', '.join(columns)}] && CAST(%(days)s AS DATE[])"
    return " OR ".join(_between(column) for column in columns)


def _dirty_statements(by_days: bool) -> list[str]:
    """Fill the DIRTY tables from the changes read (`coverage_changes_seen`) and the dated rows
    between the two days (lo, hi]: party organizations first, then members, then organizations."""
    seen = "coverage_changes_seen"
    return [
        f"""INSERT INTO {DIRTY["p"]} (id)
        SELECT obj_id FROM {seen} WHERE kind = 'p'
        UNION SELECT p.id FROM {T["po"]} p
            WHERE {_between("p.founded_on")} OR {_between("p.dissolved_on")}""",
        f"""INSERT INTO {DIRTY["m"]} (id)
        SELECT obj_id FROM {seen} WHERE kind = 'm'
        UNION SELECT m.id FROM {T["member"]} m WHERE {_stage_days_crossed(by_days)}
        UNION SELECT c.member_id FROM {T["stage_change"]} c WHERE c.to_status <> '' AND {_between('c."on"')}
        UNION SELECT t.member_id FROM {T["transfer"]} t WHERE {_between("t.received_on")}
        UNION SELECT a.member_id FROM {T["affiliation"]} a
            WHERE {_between("a.starts_on")} OR (a.ends_on >= %(lo)s AND a.ends_on < %(hi)s)
        UNION SELECT m.id FROM {T["member"]} m JOIN {DIRTY["p"]} d ON d.id = m.party_organization_id
        UNION SELECT t.member_id FROM {T["transfer"]} t JOIN {DIRTY["p"]} d
            ON d.id = t.to_party_organization_id OR d.id = t.from_party_organization_id""",
        f"""INSERT INTO {DIRTY["o"]} (id)
        SELECT obj_id FROM {seen} WHERE kind = 'o'
        UNION SELECT h.organization_id FROM {T["status"]} h
            WHERE {_between('h."on"')} OR {_between("h.until")}
        UNION SELECT l.organization_id FROM {T["link"]} l WHERE {_between("l.since")} OR {_between("l.until")}
        UNION SELECT l.organization_id FROM {T["link"]} l
            JOIN {DIRTY["p"]} d ON d.id = l.party_organization_id
        UNION SELECT a.organization_id FROM {T["assignment"]} a
            WHERE {_between("a.since")} OR {_between("a.until")}
        UNION SELECT i.organization_id FROM {T["inspection"]} i
            WHERE i.year > %(lo_year)s AND i.year <= %(hi_year)s
        UNION SELECT m.employer_id FROM {T["member"]} m JOIN {DIRTY["m"]} d ON d.id = m.id
            WHERE m.employer_id IS NOT NULL""",
    ]


def facts_refresh(*, day: date) -> FactsRefresh:
    """Bring the stored facts to `day` (see the module docstring), in one transaction. PostgreSQL."""
    if not facts_available():
        raise RuntimeError("stored coverage facts need PostgreSQL")
    outermost = not connection.in_atomic_block
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if outermost:  # every statement below sees the same data
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        _local_settings(cursor)
        cursor.execute(f"SELECT day FROM {STATE_TABLE} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
        # the changes this transaction sees (one committed later stays for the next refresh)
        cursor.execute("DROP TABLE IF EXISTS pg_temp.coverage_changes_seen")
        cursor.execute(
            "CREATE TEMP TABLE coverage_changes_seen ON COMMIT DROP"
            f" AS SELECT id, kind, obj_id FROM {CHANGE_TABLE}"
        )
        result = _rebuild(cursor, day) if row is None else _move(cursor, row[0], day)
        cursor.execute(f"DELETE FROM {CHANGE_TABLE} WHERE id IN (SELECT id FROM coverage_changes_seen)")
        cursor.execute(f"DELETE FROM {STATE_TABLE}")
        cursor.execute(f"INSERT INTO {STATE_TABLE} (day, computed_at) VALUES (%s, %s)", [day, timezone.now()])
    return result


def _rebuild(cursor: CursorWrapper, day: date) -> FactsRefresh:
    cursor.execute(f"TRUNCATE {sql.ORG_FACT_TABLE}, {sql.MEMBER_FACT_TABLE}, {sql.MEMBER_COUNT_TABLE}")
    cursor.execute(*sql.org_facts_insert(day, None))
    orgs = cursor.rowcount
    cursor.execute(*sql.member_facts_insert(day, None))
    members = cursor.rowcount
    cursor.execute(f"INSERT INTO {COUNT_INSERT} {sql.MEMBER_COUNTS_OF.replace('{only}', '')}")
    # their statistics now, not when autovacuum comes: the snapshot's plans read these tables next
    cursor.execute(f"ANALYZE {sql.ORG_FACT_TABLE}, {sql.MEMBER_FACT_TABLE}, {sql.MEMBER_COUNT_TABLE}")
    return FactsRefresh(day=day, rebuilt=True, orgs=orgs, members=members)


def _move(cursor: CursorWrapper, stored: date, day: date) -> FactsRefresh:
    lo, hi = min(stored, day), max(stored, day)
    for table in DIRTY.values():
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
        cursor.execute(f"CREATE TEMP TABLE {table} (id BIGINT PRIMARY KEY) ON COMMIT DROP")
    days = [lo + timedelta(days=n) for n in range(1, (hi - lo).days + 1)]
    by_days = len(days) <= MAX_LISTED_DAYS
    values = {"lo": lo, "hi": hi, "lo_year": lo.year, "hi_year": hi.year, "days": days}
    for statement in _dirty_statements(by_days):
        cursor.execute(*sql.bind(statement, values))
    # the stored rows' numbers as PostgreSQL's statistics estimate them (ANALYZE after each rebuild):
    # a threshold, not a figure, and counting 4M rows would cost a quarter of a second
    cursor.execute(
        f"SELECT (SELECT COUNT(id) FROM {DIRTY['o']}), (SELECT COUNT(id) FROM {DIRTY['m']}),"
        f" (SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = '{sql.ORG_FACT_TABLE}'::regclass),"
        f" (SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = '{sql.MEMBER_FACT_TABLE}'::regclass)"
    )
    orgs, members, stored_orgs, stored_members = cursor.fetchone()
    if orgs > FULL_SHARE * stored_orgs + FULL_MIN or members > FULL_SHARE * stored_members + FULL_MIN:
        return _rebuild(cursor, day)
    for table in DIRTY.values():
        cursor.execute(f"ANALYZE {table}")  # their sizes, for the plans joining them
    cursor.execute(f"DELETE FROM {sql.ORG_FACT_TABLE} WHERE id IN (SELECT id FROM {DIRTY['o']})")
    cursor.execute(*sql.org_facts_insert(day, DIRTY["o"]))
    # the members' counts: their old facts taken off, their new ones added, empty keys dropped
    dirty_members = sql.MEMBER_COUNTS_OF.replace("{only}", f" WHERE f.id IN (SELECT id FROM {DIRTY['m']})")
    cursor.execute(
        f"UPDATE {sql.MEMBER_COUNT_TABLE} c SET members = c.members - d.members, active = c.active - d.active"
        f" FROM ({dirty_members}) d"
        " WHERE c.region_id = d.region_id AND c.stage = d.stage AND c.affiliation = d.affiliation"
    )
    cursor.execute(f"DELETE FROM {sql.MEMBER_FACT_TABLE} WHERE id IN (SELECT id FROM {DIRTY['m']})")
    cursor.execute(*sql.member_facts_insert(day, DIRTY["m"]))
    cursor.execute(
        f"INSERT INTO {COUNT_INSERT} {dirty_members}"
        " ON CONFLICT (region_id, stage, affiliation) DO UPDATE"
        f" SET members = {sql.MEMBER_COUNT_TABLE}.members + EXCLUDED.members,"
        f" active = {sql.MEMBER_COUNT_TABLE}.active + EXCLUDED.active"
    )
    cursor.execute(f"DELETE FROM {sql.MEMBER_COUNT_TABLE} WHERE members = 0")
    return FactsRefresh(day=day, rebuilt=False, orgs=orgs, members=members)
