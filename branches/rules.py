"""Rule warnings on party organizations (DOMAIN.md), shown where staff and secretaries work.

These never block a write: they say what the rules expect and what the data
shows. Every threshold is a setting (config/settings/base.py, PARTY
ORGANIZATIONS). `warnings_for_many` answers for a whole page of party
organizations in a fixed number of queries (at most two, whatever the count).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import CommitteePost, CoverageLink, PartyOrganization
from members.models import Member
from orgs.models import Organization

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode

BRANCH_KINDS = frozenset({Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY_BRANCH})
ELECTING_BRANCH_KINDS = frozenset({Kind.BRANCH, Kind.JOINT_BRANCH})
# The kinds _size_warnings has rules for (the only ones whose member counts are read).
SIZE_RULE_KINDS = BRANCH_KINDS | ELECTING_BRANCH_KINDS | {Kind.GENERAL_BRANCH}
# Member stages that count as Party members for the 50/100 thresholds (people in the pipeline do not).
PARTY_MEMBER_STAGES = ("full", "probationary")


@dataclass(frozen=True)
class RuleWarning:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


# The name callers use (branches.rules.Warning); RuleWarning inside this module.
Warning = RuleWarning


def recruitment_refusal(po: PartyOrganization) -> str | None:
    """Why `po` may not recruit (take applicants or admit members), or None if it may."""
    if po.status != PartyOrganization.Status.ACTIVE:
        return _("%(po)s is dissolved and cannot recruit.") % {"po": po}
    if po.kind == Kind.TEMPORARY_BRANCH:
        return _("%(po)s is a temporary branch: temporary branches do not recruit members.") % {"po": po}
    return None


def can_recruit(po: PartyOrganization) -> bool:
    """A temporary or dissolved party organization does not recruit (members.services ask this)."""
    return recruitment_refusal(po) is None


def warnings_for(po: PartyOrganization, *, today: date | None = None) -> list[RuleWarning]:
    return warnings_for_many([po], today=today)[po.pk]


def _page_facts(active: list[PartyOrganization], today: date) -> dict[int, tuple[int, int, int, bool]]:
    """(full members, Party members, coverage links in force, has a secretary in post) of each
    active node, in one query.

    Member counts only where a size rule reads them (SIZE_RULE_KINDS; 0 elsewhere): a committee's
    subtree (a whole district's members) is never counted for a warning it cannot get. Per page node,
    correlated counts: its subtree's nodes from the (tree_id, lft) index, their active members from
    the (party_organization, status, stage) index alone; its links and posts by their party
    organization's index. At M, a page of 99 branches: about 1 ms for the members. (A join of the
    page to the subtrees misjudged their size, 33 nodes a page node, and hashed the whole member
    table: 94 ms. A correlated subquery in the ORM scanned the member table once per row.) One
    statement instead of three ORM queries: at L a changelist page's warnings took 16.5 ms of wall,
    8 ms of it Python building the queries. Plain SQL that SQLite runs too.
    """
    if not active:
        return {}
    po_table = PartyOrganization._meta.db_table
    member_table = Member._meta.db_table
    link_table = CoverageLink._meta.db_table
    post_table = CommitteePost._meta.db_table
    subtree_members = f"""
        SELECT COUNT(m.id) FROM {po_table} node
        JOIN {member_table} m ON m.party_organization_id = node.id AND m.status = %s
        WHERE node.tree_id = page.tree_id AND node.lft BETWEEN page.lft AND page.rght
    """  # noqa: S608
    in_force = "{row}.since <= %s AND ({row}.until IS NULL OR {row}.until > %s)"
    size_kinds = sorted(SIZE_RULE_KINDS)
    kinds = ", ".join(["%s"] * len(size_kinds))
    stages = ", ".join(["%s"] * len(PARTY_MEMBER_STAGES))
    keys = ", ".join(["%s"] * len(active))
    # Table names from the models; every value is a parameter.
    sql = f"""
        SELECT page.id,
               CASE WHEN page.kind IN ({kinds}) THEN ({subtree_members} AND m.stage = %s) ELSE 0 END,
               CASE WHEN page.kind IN ({kinds}) THEN ({subtree_members} AND m.stage IN ({stages})) ELSE 0 END,
               (SELECT COUNT(l.id) FROM {link_table} l
                WHERE l.party_organization_id = page.id AND {in_force.format(row="l")}),
               CASE WHEN EXISTS (SELECT 1 FROM {post_table} c
                                 WHERE c.party_organization_id = page.id AND c.post = %s
                                   AND {in_force.format(row="c")}) THEN 1 ELSE 0 END
        FROM {po_table} page
        WHERE page.id IN ({keys})
    """  # noqa: S608
    params: list = [
        *size_kinds,
        "active",
        "full",
        *size_kinds,
        "active",
        *PARTY_MEMBER_STAGES,
        today,
        today,
        CommitteePost.Post.SECRETARY.value,
        today,
        today,
        *(po.pk for po in active),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            pk: (int(full), int(members), int(links), bool(secretary))
            for pk, full, members, links, secretary in cursor.fetchall()
        }


def _should_build(ids: list[int], today: date) -> dict[int, list[tuple[str, int]]]:
    """Organizations covered by these (joint or fallback) nodes that employ enough full members
    to build their own branch: {party organization id: [(organization name, full members)]}, by name.

    One statement: each link in force with its organization's full members counted through the
    members' employer index. Plain SQL (SQLite runs it too): the ORM's version cost 2.6 ms of Python
    to build for 2 ms of SQL at L."""
    if not ids:
        return {}
    link_table = CoverageLink._meta.db_table
    org_table = Organization._meta.db_table
    member_table = Member._meta.db_table
    keys = ", ".join(["%s"] * len(ids))
    # Table names from the models; every value is a parameter.
    sql = f"""
        SELECT x.po_id, x.name, x.full_members FROM (
            SELECT l.party_organization_id AS po_id, o.name, o.id,
                   (SELECT COUNT(m.id) FROM {member_table} m
                    WHERE m.employer_id = l.organization_id AND m.stage = %s AND m.status = %s)
                   AS full_members
            FROM {link_table} l
            JOIN {org_table} o ON o.id = l.organization_id
            WHERE l.party_organization_id IN ({keys})
              AND l.since <= %s AND (l.until IS NULL OR l.until > %s)
        ) x
        WHERE x.full_members >= %s
        ORDER BY x.name, x.id
    """  # noqa: S608
    params: list = ["full", "active", *ids, today, today, settings.SHOULD_BUILD_MIN_FULL_MEMBERS]
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for po_id, name, count in cursor.fetchall():
            found[po_id].append((name, int(count)))
    return found


def warnings_for_many(
    party_organizations: Iterable[PartyOrganization], *, today: date | None = None
) -> dict[int, list[RuleWarning]]:
    """Rule warnings for each party organization, keyed by pk; dissolved ones have none.

    Queries: member and coverage link counts with the current secretaries (_page_facts), then
    should-build organizations (only when a joint or fallback node is among them).
    """
    today = today or timezone.localdate()
    pos = list(party_organizations)
    result: dict[int, list[RuleWarning]] = {po.pk: [] for po in pos}
    active = [po for po in pos if po.status == PartyOrganization.Status.ACTIVE]
    if not active:
        return result
    facts = _page_facts(active, today)
    shared_ids = [po.pk for po in active if po.building_mode in (Mode.JOINT, Mode.FALLBACK)]
    should_build = _should_build(shared_ids, today)
    for po in active:
        full, party_members, links, has_secretary = facts.get(po.pk, (0, 0, 0, False))
        result[po.pk] = [
            *_size_warnings(po, full, party_members),
            *_coverage_warnings(po, links, should_build.get(po.pk, [])),
            *_term_warnings(po, today, has_secretary=has_secretary),
        ]
    return result


def _size_warnings(po: PartyOrganization, full: int, party_members: int) -> list[RuleWarning]:
    found = []
    if po.kind in BRANCH_KINDS and full < settings.BRANCH_MIN_FULL_MEMBERS:
        found.append(
            RuleWarning(
                "too_few_full_members",
                _(
                    "Only %(count)d full members: a branch needs at least %(min)d; consider a joint branch "
                    "with nearby organizations."
                )
                % {"count": full, "min": settings.BRANCH_MIN_FULL_MEMBERS},
            )
        )
    if (
        po.kind in ELECTING_BRANCH_KINDS
        and full >= settings.COMMITTEE_MIN_FULL_MEMBERS
        and not po.has_committee
    ):
        found.append(
            RuleWarning(
                "committee_needed",
                _(
                    "%(count)d full members but no committee: a branch with %(min)d or more elects "
                    "a committee."
                )
                % {"count": full, "min": settings.COMMITTEE_MIN_FULL_MEMBERS},
            )
        )
    upgradable = ELECTING_BRANCH_KINDS | {Kind.GENERAL_BRANCH}
    if po.kind in upgradable and party_members >= settings.COMMITTEE_MIN_MEMBERS:
        found.append(
            RuleWarning(
                "could_be_committee",
                _(
                    "%(count)d Party members: with the superior's approval it could become a base "
                    "committee (from %(min)d members)."
                )
                % {"count": party_members, "min": settings.COMMITTEE_MIN_MEMBERS},
            )
        )
    elif po.kind in ELECTING_BRANCH_KINDS and party_members >= settings.GENERAL_BRANCH_MIN_MEMBERS:
        found.append(
            RuleWarning(
                "could_be_general_branch",
                _(
                    "%(count)d Party members: with the superior's approval it could become a general "
                    "branch (from %(min)d members)."
                )
                % {"count": party_members, "min": settings.GENERAL_BRANCH_MIN_MEMBERS},
            )
        )
    return found


def _coverage_warnings(
    po: PartyOrganization, covered: int, should_build: list[tuple[str, int]]
) -> list[RuleWarning]:
    found = []
    if po.building_mode == Mode.JOINT and covered > settings.JOINT_BRANCH_MAX_ORGS:
        found.append(
            RuleWarning(
                "joint_too_many_orgs",
                _("Covers %(count)d organizations: a joint branch generally covers at most %(max)d.")
                % {"count": covered, "max": settings.JOINT_BRANCH_MAX_ORGS},
            )
        )
    elif po.building_mode == Mode.JOINT and covered < 2:
        found.append(
            RuleWarning(
                "joint_too_few_orgs",
                _("Covers %(count)d organizations: a joint branch covers two or more.") % {"count": covered},
            )
        )
    for name, count in should_build:
        found.append(
            RuleWarning(
                "should_build",
                _(
                    "%(org)s employs %(count)d full members but is covered only jointly or by the fallback "
                    "branch: it should build its own branch."
                )
                % {"org": name, "count": count},
            )
        )
    return found


def _term_warnings(po: PartyOrganization, today: date, *, has_secretary: bool) -> list[RuleWarning]:
    found = []
    due = po.election_due_on
    if po.kind != Kind.TEMPORARY_BRANCH and due is not None and due < today:
        found.append(
            RuleWarning(
                "election_overdue",
                _("The term ended on %(date)s: an election is due.") % {"date": date_format(due)},
            )
        )
    if not has_secretary:
        found.append(RuleWarning("no_secretary", _("No current secretary is recorded.")))
    return found


def warning_codes(warnings: Iterable[RuleWarning]) -> set[str]:
    return {w.code for w in warnings}


__all__ = [
    "BRANCH_KINDS",
    "RuleWarning",
    "Warning",
    "can_recruit",
    "recruitment_refusal",
    "warning_codes",
    "warnings_for",
    "warnings_for_many",
]
