"""Generate DESIGN.md's S, M or L dataset for the benchmarks, streamed with COPY (no ORM saves).

    createdb -h 127.0.0.1 -U postgres pb_bench      # once; the database name must contain "bench"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench
    .venv/bin/python bench/generate_dataset.py --size S      # or M, L

Sizes (DESIGN.md "Performance budgets"):
  S = one district: 1.5k organizations, 300 party organizations, 5k members, 50k event records
  M = a province:   60k organizations, 12k party organizations, 200k members, 2M event records
                    (40 districts)
  L = the country:  1M organizations, 200k party organizations, 3M members, 20M event records
                    (400 districts)
Event records are events plus their attendance lists (about one event for nine attendance rows).

Memory stays flat whatever the size: the rows of one district are generated, streamed to
PostgreSQL with COPY … FROM STDIN (psycopg2's copy_expert reading a generator) and dropped before
the next district. Foreign keys are not checked row by row during the load
(session_replication_role = replica: the generator writes consistent ids), and the secondary
indexes of the big tables are dropped first and rebuilt afterwards from their own definitions
(pg_get_indexdef), so the tables end with exactly the indexes and constraints the migrations made.
The peak resident memory of this process is printed.

The script migrates the database, empties the registry, party, member and event tables
(TRUNCATE … CASCADE, hence the name guard) and loads, per district:
- a region tree (district → 8–16 streets → 4–12 communities each) with its MPTT
  columns computed here; organizations spread with skew (street weights 1/rank^1.3:
  the first streets hold far more organizations than the last);
- a party tree (comprehensive committee → branches, lft/rght computed here):
  2 fallback branches, single-mode branches each covering one organization,
  joint branches covering 2–5 neighbouring organizations, a few dissolved ones
  (most of their links ended on the dissolution day, some left running);
- dated history: earlier links ended when an organization switched (fallback or
  joint → its own branch), deregistered organizations whose links ended then;
- instructors assigned mostly to uncovered organizations; members with stage
  dates, employed by the organizations their branch covers (so some employ ≥ 3
  full members without a single-mode branch: should-build cases);
- events: meetings of the party organizations (attendance lists drawn from their members, most
  of them present) and activities of social organizations, spread over 2024-01 … 2026-12.
Deterministic for a given --seed.
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from django.db.models import Model

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    "S": {"districts": 1, "orgs": 1_500, "pos": 300, "members": 5_000},
    "M": {"districts": 40, "orgs": 60_000, "pos": 12_000, "members": 200_000, "events": 2_000_000},
    "L": {"districts": 400, "orgs": 1_000_000, "pos": 200_000, "members": 3_000_000, "events": 20_000_000},
}
SIZES["S"]["events"] = 50_000
EVENT_SPAN = (datetime(2024, 1, 1, 9), datetime(2026, 12, 31, 9))
PARTY_EVENT_KINDS = ["general_meeting", "committee_meeting", "party_lecture", "theme_day", "life_meeting"]
ORG_EVENT_KINDS = ["training", "volunteer_service", "public_welfare", "exchange"]
ORG_KINDS = [("private_non_enterprise", 50), ("social_group", 19), ("foundation", 1), ("community", 30)]
MANAGEMENT_MODES = [("territorial", 316), ("industry", 218), ("fallback", 24)]  # Pinghu (DOMAIN.md)
STREET_SKEW = 1.3
FALLBACK_SHARE = 0.08  # organizations held by the comprehensive committee's fallback branches
DISSOLVED_SHARE = 0.04
TODAY = date(2026, 6, 30)  # fixed, so a dataset is the same whenever it is generated
CST = timezone(timedelta(hours=8))


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every SQL statement in memory
    import django

    django.setup()


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


# --- COPY -------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class LineReader:
    """A file-like object over an iterator of text lines, for copy_expert: only the lines of one
    read() are held in memory."""

    def __init__(self, lines):
        self.lines = iter(lines)
        self.rest = ""

    def read(self, size: int = -1) -> str:
        parts, length = [self.rest], len(self.rest)
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        text = "".join(parts)
        if size < 0 or len(text) <= size:
            self.rest = ""
            return text
        self.rest = text[size:]
        return text[:size]

    readline = read


def copy_rows(cursor, model, columns: list[str], rows) -> int:
    """COPY `rows` (an iterable of tuples in `columns` order) into `model`'s table, streamed; every
    other column gets the field's default (auto_now → now), so the rows look like ones the ORM
    wrote. Returns the number of rows."""
    now = datetime.now().astimezone()
    fixed: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.column] = now
        elif field.has_default():
            fixed[field.column] = field.get_default()
        elif field.null:
            fixed[field.column] = None
        elif field.blank:
            fixed[field.column] = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
    tail = ("\t" + "\t".join(_text(value) for value in fixed.values())) if fixed else ""
    count = 0

    def lines():
        nonlocal count
        for row in rows:
            count += 1
            yield "\t".join(_text(value) for value in row) + tail + "\n"

    names = ", ".join([*columns, *fixed])
    cursor.copy_expert(f"COPY {model._meta.db_table} ({names}) FROM STDIN", LineReader(lines()), size=65536)
    return count


# --- generation -------------------------------------------------------------------------------------


class Ids:
    def __init__(self):
        self.next = {}

    def __call__(self, name: str) -> int:
        self.next[name] = self.next.get(name, 0) + 1
        return self.next[name]


class Dataset:
    """The rows of one district at a time, as tuples ready for COPY; ids run on across districts."""

    REGION = ["id", "code", "name", "kind", "parent_id", "is_active", "lft", "rght", "tree_id", "level"]
    ORG = [
        "id",
        "name",
        "kind",
        "registration",
        "uscc",
        "management_mode",
        "region_id",
        "registered_on",
        "status",
        "status_changed_on",
        "staff_count",
    ]
    PO = [
        "id",
        "name",
        "kind",
        "building_mode",
        "region_id",
        "parent_id",
        "founded_on",
        "status",
        "dissolved_on",
        "lft",
        "rght",
        "tree_id",
        "level",
    ]
    LINK = ["id", "party_organization_id", "organization_id", "since", "until"]
    INSTRUCTOR = ["id", "name", "dispatched_by", "dispatching_body", "region_id"]
    ASSIGNMENT = ["id", "instructor_id", "organization_id", "since", "until"]
    EVENT = [
        "id",
        "kind",
        "title",
        "party_organization_id",
        "organization_id",
        "starts_at",
        "ends_at",
        "is_public",
        "status",
        "held_recorded_at",
    ]
    ATTENDANCE = ["id", "event_id", "member_id", "expected", "voting", "came", "signed_in_at", "method"]
    MEMBER = [
        "id",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "id_number_hash",
        "employer_id",
        "party_organization_id",
        "status",
        "stage",
        "applied_on",
        "activist_on",
        "candidate_on",
        "admitted_on",
        "full_on",
    ]

    def __init__(self, size: dict, seed: int):
        from members.crypto import encrypt

        self.size, self.rng, self.ids = size, random.Random(seed), Ids()
        self.cipher = encrypt("000000000000000000")  # one valid ciphertext shared by every member
        self.reset()

    def reset(self) -> None:
        """Forget the rows of the district just loaded."""
        self.regions: list = []
        self.orgs: list = []
        self.pos: list = []
        self.links: list = []
        self.instructors: list = []
        self.assignments: list = []
        self.members: list = []
        self.events: list = []
        self.attendance: list = []
        self.po_members: dict[int, list] = {}

    # Regions -----------------------------------------------------------------------------------
    def district_codes(self) -> list[str]:
        count = self.size["districts"]
        return [f"33{1 + i // 20:02d}{1 + i % 20:02d}" for i in range(count)]

    def region_tree(self, code: str, tree_id: int) -> tuple[int, list[tuple[int, list[int]]]]:
        """District, streets, communities in depth-first order with lft/rght; returns the district id
        and [(street id, [community ids])]."""
        rng = self.rng
        district_id = self.ids("region")
        rows = [[district_id, code, f"{code}区", "district", None, True, 1, None, tree_id, 0]]
        counter = 2
        streets = []
        for s in range(rng.randint(8, 16)):
            street_id = self.ids("region")
            street_code = f"{code}{s + 1:03d}"
            street = [street_id, street_code, f"{code}第{s + 1}街道", "street", district_id, True, counter]
            counter += 1
            communities = []
            for c in range(rng.randint(4, 12)):
                community_id = self.ids("region")
                rows.append(
                    [
                        community_id,
                        f"{street_code}{c + 1:03d}",
                        f"{street_code}第{c + 1}社区",
                        "community",
                        street_id,
                        True,
                        counter,
                        counter + 1,
                        tree_id,
                        2,
                    ]
                )
                communities.append(community_id)
                counter += 2
            rows.insert(len(rows) - len(communities), [*street, counter, tree_id, 1])
            counter += 1
            streets.append((street_id, communities))
        rows[0][7] = counter
        self.regions.extend(tuple(row) for row in rows)
        return district_id, streets

    # Organizations -----------------------------------------------------------------------------
    def organizations(self, code: str, district_id: int, streets, count: int) -> list[tuple]:
        rng = self.rng
        weights = [1 / (i + 1) ** STREET_SKEW for i in range(len(streets))]
        kinds, kind_weights = zip(*ORG_KINDS, strict=True)
        modes, mode_weights = zip(*MANAGEMENT_MODES, strict=True)
        from orgs.uscc import make_uscc

        chosen_streets = rng.choices(range(len(streets)), weights, k=count)
        created = []
        for street_index in chosen_streets:
            _street_id, communities = streets[street_index]
            region_id = district_id if rng.random() < 0.01 else rng.choice(communities)
            org_id = self.ids("org")
            kind = rng.choices(kinds, kind_weights)[0]
            filed = kind == "community"
            registered = day_between(rng, date(2000, 1, 1), date(2025, 12, 31))
            inactive = rng.random() < 0.08
            status_changed = day_between(rng, max(registered, date(2019, 1, 1)), TODAY) if inactive else None
            row = (
                org_id,
                f"{code}社会组织{org_id:06d}",
                kind,
                "filed" if filed else "registered",
                None if filed else make_uscc(kind, code, org_id % 1_000_000),
                rng.choices(modes, mode_weights)[0],
                region_id,
                registered,
                rng.choice(["deregistered", "revoked"]) if inactive else "active",
                status_changed,
                min(int(rng.paretovariate(1.2) * 4), 800),
            )
            self.orgs.append(row)
            created.append(row)
        return created

    # Party organizations, links, instructors, members ---------------------------------------------
    def po(self, name, kind, mode, region_id, parent_id, founded, dissolved, tree_id, level) -> int:
        po_id = self.ids("po")
        status = "dissolved" if dissolved else "active"
        self.pos.append(
            [po_id, name, kind, mode, region_id, parent_id, founded, status, dissolved, 0, 0, tree_id, level]
        )
        return po_id

    def link(self, po_id, org_id, since, until=None) -> None:
        self.links.append((self.ids("link"), po_id, org_id, since, until))

    def party_tree(self, code, district_id, tree_id, orgs, po_count):
        rng = self.rng
        first = len(self.pos)
        cc = self.po(
            f"{code}社会组织综合党委",
            "comprehensive_committee",
            "",
            district_id,
            None,
            date(2014, 11, 12),
            None,
            tree_id,
            0,
        )
        fallback = [
            self.po(
                f"{code}综合党委兜底第{i + 1}支部",
                "branch",
                "fallback",
                district_id,
                cc,
                date(2015, 1, 1),
                None,
                tree_id,
                1,
            )
            for i in range(2)
        ]
        # Active organizations grouped by community (a joint branch takes neighbours), the communities
        # in random order so branches are spread over every street.
        by_community: dict[int, list] = {}
        for org in orgs:
            if org[8] == "active":
                by_community.setdefault(org[6], []).append(org)
        blocks = list(by_community.values())
        rng.shuffle(blocks)
        active = [org for block in blocks for org in block]
        gone = [o for o in orgs if o[8] != "active"]
        rng.shuffle(gone)
        members_of: dict[int, list] = {po: [] for po in fallback}
        cursor = 0
        remaining = po_count - 3
        singles = int(remaining * 0.4)
        joints = remaining - singles
        plan = ["single"] * singles + ["joint"] * joints
        rng.shuffle(plan)
        for mode in plan:
            size = 1 if mode == "single" else rng.randint(2, 5)
            covered = active[cursor : cursor + size]
            cursor += size
            if rng.random() < FALLBACK_SHARE * 3 and cursor < len(active):  # leave gaps: uncovered orgs
                cursor += rng.randint(1, 4)
            founded = day_between(rng, date(2015, 6, 1), date(2024, 6, 30))
            dissolved = (
                day_between(rng, founded + timedelta(days=200), TODAY)
                if rng.random() < DISSOLVED_SHARE
                else None
            )
            if dissolved and dissolved >= TODAY:
                dissolved = None
            region_id = covered[0][6] if covered else district_id
            kind = (
                ("general_branch" if rng.random() < 0.1 else "branch") if mode == "single" else "joint_branch"
            )
            po_id = self.po(
                f"{code}第{len(self.pos) - first}党支部",
                kind,
                mode,
                region_id,
                cc,
                founded,
                dissolved,
                tree_id,
                1,
            )
            if not dissolved:  # a dissolved branch holds no members any more
                members_of[po_id] = [o[0] for o in covered]
            for org in covered:
                since = max(founded, org[7]) + timedelta(days=rng.randrange(1, 120))
                if since >= TODAY:
                    since = max(founded, org[7])
                if rng.random() < 0.25 and since > date(2016, 1, 1):  # switched from a fallback branch
                    earlier = day_between(rng, date(2015, 1, 1), since)
                    if earlier < since:
                        self.link(rng.choice(fallback), org[0], earlier, since)
                if dissolved:
                    if rng.random() < 0.9:
                        self.link(po_id, org[0], min(since, dissolved - timedelta(days=1)), dissolved)
                    else:  # history left running after the dissolution
                        self.link(po_id, org[0], min(since, dissolved - timedelta(days=1)))
                else:
                    self.link(po_id, org[0], since)
        # The rest of the active organizations: some held by fallback branches, the others uncovered.
        for org in active[cursor:]:
            if rng.random() < FALLBACK_SHARE * 2:
                po_id = rng.choice(fallback)
                self.link(
                    po_id, org[0], max(org[7], date(2015, 1, 1)) + timedelta(days=rng.randrange(1, 400))
                )
                members_of[po_id].append(org[0])
        # Deregistered and revoked organizations: covered until their status changed.
        for org in gone[: len(gone) // 2]:
            if org[9] and org[9] > max(org[7], date(2015, 1, 1)) + timedelta(days=1):
                self.link(rng.choice(fallback), org[0], max(org[7], date(2015, 1, 1)), org[9])
        # Nested-set columns: the committee is the root, every branch one level down.
        branches = self.pos[first + 1 :]
        self.pos[first][9], self.pos[first][10] = 1, 2 + 2 * len(branches)
        for i, row in enumerate(branches):
            row[9], row[10] = 2 + 2 * i, 3 + 2 * i
        return cc, members_of

    def instructors_for(self, code, district_id, orgs, po_count):
        rng = self.rng
        covered = {link[2] for link in self.links if link[4] is None}
        uncovered = [o[0] for o in orgs if o[0] not in covered and o[8] == "active"]
        everyone = [o[0] for o in orgs]
        for _ in range(max(po_count // 6, 1)):
            instructor_id = self.ids("instructor")
            self.instructors.append(
                (instructor_id, f"{code}指导员{instructor_id}", "street", f"{code}街道党工委", district_id)
            )
            assigned = set()
            for _ in range(rng.randint(3, 8)):
                pool = uncovered if uncovered and rng.random() < 0.7 else everyone
                org_id = rng.choice(pool)
                if org_id in assigned:  # one current assignment per (instructor, organization)
                    continue
                assigned.add(org_id)
                since = day_between(rng, date(2018, 1, 1), date(2025, 12, 31))
                until = day_between(rng, since + timedelta(days=30), TODAY) if rng.random() < 0.2 else None
                if until is not None and until <= since:
                    until = None
                self.assignments.append((self.ids("assignment"), instructor_id, org_id, since, until))

    def members_for(self, members_of: dict, count: int):
        rng = self.rng
        branches = [po for po in members_of if members_of[po]]
        weights = [
            3 if len(members_of[po]) == 1 else 5 if len(members_of[po]) <= 5 else 20 for po in branches
        ]
        stages = [("full", 75), ("probationary", 8), ("candidate", 5), ("activist", 6), ("applicant", 6)]
        names, stage_weights = zip(*stages, strict=True)
        for po in rng.choices(branches, weights, k=count):
            member_id = self.ids("member")
            employers = members_of[po]
            # a few employers hold most members: should-build cases appear under joint branches
            employer = (
                employers[min(int(rng.expovariate(1.2)), len(employers) - 1)] if rng.random() < 0.75 else None
            )
            stage = rng.choices(names, stage_weights)[0]
            applied = day_between(rng, date(2005, 1, 1), date(2025, 6, 30))
            dates = {"applicant": applied}
            step = applied
            for name in ("activist", "candidate", "probationary", "full"):
                if list(names).index(stage) > list(names).index(name):
                    break
                step = step + timedelta(days=rng.randint(30, 400))
                dates[name] = step
            status = "active" if rng.random() < 0.95 else rng.choice(["left", "transferred_out"])
            if status == "active":
                self.po_members.setdefault(po, []).append((member_id, stage == "full"))
            self.members.append(
                (
                    member_id,
                    f"党员{member_id}",
                    rng.choice(["male", "female"]),
                    day_between(rng, date(1955, 1, 1), date(2003, 1, 1)),
                    self.cipher,
                    f"bench-{member_id}",
                    employer,
                    po,
                    status,
                    stage,
                    dates.get("applicant"),
                    dates.get("activist"),
                    dates.get("candidate"),
                    dates.get("probationary"),
                    dates.get("full"),
                )
            )

    def events_for(self, code: str, orgs, budget: int) -> None:
        """Events and attendance rows until `budget` records: nine in ten events are meetings of
        a party organization (chosen by its number of members) with an attendance list drawn from
        its members; the others are social organizations' activities without a list."""
        rng = self.rng
        parties = list(self.po_members)
        weights = [len(self.po_members[po]) for po in parties]
        active = [o[0] for o in orgs if o[8] == "active"]
        start, span = EVENT_SPAN[0].replace(tzinfo=CST), (EVENT_SPAN[1] - EVENT_SPAN[0]).days
        now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=CST)
        made = 0
        while made < budget:
            chosen = rng.choices(parties, weights, k=256) if parties else [None] * 256
            for po in chosen:
                event_id = self.ids("event")
                starts = start + timedelta(days=rng.randrange(span), hours=rng.randrange(10))
                ends = starts + timedelta(hours=2)
                past = starts < now
                status = "cancelled" if rng.random() < 0.03 else "held" if past else "scheduled"
                if po is None or rng.random() < 0.1:
                    if not active:
                        continue
                    kind = rng.choice(ORG_EVENT_KINDS)
                    self.events.append(
                        (
                            event_id,
                            kind,
                            f"{code}活动{event_id}",
                            None,
                            rng.choice(active),
                            starts,
                            ends,
                            rng.random() < 0.3,
                            status,
                            ends if status == "held" else None,
                        )
                    )
                    made += 1
                    continue
                kind = rng.choice(PARTY_EVENT_KINDS)
                self.events.append(
                    (
                        event_id,
                        kind,
                        f"{code}党组织活动{event_id}",
                        po,
                        None,
                        starts,
                        ends,
                        kind == "party_lecture" and rng.random() < 0.2,
                        status,
                        ends if status == "held" else None,
                    )
                )
                members = self.po_members[po]
                invited = rng.sample(members, min(len(members), rng.randint(4, 14)))
                for member_id, full in invited:
                    came = status == "held" and rng.random() < 0.85
                    self.attendance.append(
                        (
                            self.ids("attendance"),
                            event_id,
                            member_id,
                            True,
                            full and kind == "general_meeting",
                            came,
                            starts if came else None,
                            rng.choice(("manual", "qr")) if came else "",
                        )
                    )
                made += 1 + len(invited)
                if made >= budget:
                    break

    def districts(self):
        """Generate the districts one by one: yields after each district's rows are ready (the
        caller loads them, then they are dropped)."""
        size, rng = self.size, self.rng
        codes = self.district_codes()
        # Skewed districts too: a lognormal share of the province each.
        shares = [rng.lognormvariate(0, 0.6) for _ in codes] if len(codes) > 1 else [1.0]
        total = sum(shares)
        for tree_id, (code, share) in enumerate(zip(codes, shares, strict=True), start=1):
            self.reset()
            part = share / total
            district_id, streets = self.region_tree(code, tree_id)
            orgs = self.organizations(code, district_id, streets, max(int(size["orgs"] * part), 50))
            po_count = max(int(size["pos"] * part), 10)
            _cc, members_of = self.party_tree(code, district_id, tree_id, orgs, po_count)
            self.instructors_for(code, district_id, orgs, po_count)
            self.members_for(members_of, max(int(size["members"] * part), 20))
            self.events_for(code, orgs, max(int(size["events"] * part), 100))
            yield code


# --- loading ----------------------------------------------------------------------------------------


DROPPED = "bench_dropped_index"  # the definitions of the indexes dropped for the load


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def restore_indexes(cursor) -> None:
    """Recreate the indexes dropped for the load (also those a crashed earlier run left dropped)."""
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {DROPPED} (definition text PRIMARY KEY)")
    cursor.execute(f"SELECT definition FROM {DROPPED}")
    for (definition,) in cursor.fetchall():
        definition = definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
        definition = definition.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1)
        cursor.execute(definition)
    cursor.execute(f"DELETE FROM {DROPPED}")


def drop_indexes(cursor, tables: list[str]) -> int:
    """Drop the secondary indexes of `tables` (those no constraint owns: primary keys and unique
    constraints stay), keeping their definitions in DROPPED first."""
    cursor.execute(
        f"""INSERT INTO {DROPPED} (definition)
            SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            RETURNING definition""",
        [tables],
    )
    dropped = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexrelid::regclass::text FROM pg_index i
           WHERE i.indrelid = ANY(%s::regclass[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
        [tables],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP INDEX {name}")
    return len(dropped)


def load(dataset: Dataset, progress: bool = False) -> tuple[dict[str, int], dict[str, float]]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from branches.models import CoverageLink, Instructor, InstructorAssignment, PartyOrganization
    from events.models import Attendance, Event
    from members.models import Member
    from orgs.models import Organization, Region

    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        raise SystemExit(
            f"Refusing to load into {name!r}: use a PostgreSQL database whose name contains 'bench'."
        )
    call_command("migrate", verbosity=0)
    from orgs.models import OrganizationStatusChange
    from orgs.services.status_history import status_history_seed

    tables: list[type[Model]] = [
        Region,
        Organization,
        OrganizationStatusChange,
        PartyOrganization,
        CoverageLink,
        Instructor,
        InstructorAssignment,
        Member,
        Event,
        Attendance,
    ]
    loads = [
        ("regions", Region, Dataset.REGION, "regions"),
        ("organizations", Organization, Dataset.ORG, "orgs"),
        ("party_organizations", PartyOrganization, Dataset.PO, "pos"),
        ("coverage_links", CoverageLink, Dataset.LINK, "links"),
        ("instructors", Instructor, Dataset.INSTRUCTOR, "instructors"),
        ("instructor_assignments", InstructorAssignment, Dataset.ASSIGNMENT, "assignments"),
        ("members", Member, Dataset.MEMBER, "members"),
        ("events", Event, Dataset.EVENT, "events"),
        ("attendance", Attendance, Dataset.ATTENDANCE, "attendance"),
    ]
    counts = dict.fromkeys([item[0] for item in loads], 0)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        restore_indexes(cursor)
        cursor.execute(
            "TRUNCATE " + ", ".join(m._meta.db_table for m in tables) + " RESTART IDENTITY CASCADE"
        )
        dropped = drop_indexes(cursor, [m._meta.db_table for m in tables])
        # Foreign keys are triggers: skipped for this session's load (the ids are consistent).
        cursor.execute("SET session_replication_role = replica")
    for index, code in enumerate(dataset.districts(), start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
            for name, model, columns, attribute in loads:
                rows = getattr(dataset, attribute)
                if attribute == "pos":
                    rows = (tuple(row) for row in rows)
                counts[name] += copy_rows(raw, model, columns, rows)
        if progress and (index % 20 == 0 or index == dataset.size["districts"]):
            elapsed = time.perf_counter() - started
            print(
                f"  {index} districts ({code}) in {elapsed:.0f} s, peak RSS {peak_rss_mb():.0f} MB",
                flush=True,
            )
    dataset.reset()
    timings["generate + COPY"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        step = time.perf_counter()
        restore_indexes(cursor)
        timings[f"rebuild {dropped} indexes"] = time.perf_counter() - step
        step = time.perf_counter()
        counts["status_changes"] = status_history_seed()  # from the organizations' status columns
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )
        timings["status history + sequences"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(m._meta.db_table for m in tables))
        timings["VACUUM ANALYZE"] = time.perf_counter() - step
    return counts, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()
    setup_django()
    started = time.perf_counter()
    dataset = Dataset(SIZES[args.size], args.seed)
    counts, timings = load(dataset, progress=True)
    total = time.perf_counter() - started
    print(f"size {args.size}: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    print(
        f"built in {total:.1f} s ("
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
        + f"); peak RSS {peak_rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
