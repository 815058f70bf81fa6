"""Consistency checks for every MPTT tree in the project (`manage.py check_trees`).

The generic checks read the nested-set columns in a fixed number of aggregate
SQL queries per model, whatever the size of the tables. A model adds its own
rules with `@tree_check(Model)` in `<app>/tree_checks.py` (imported for every
installed app), e.g. Region: the code follows the parent's, the kind the level.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.module_loading import autodiscover_modules
from mptt.models import MPTTModel

from orgs.models import Region

TreeCheck = Callable[[type[MPTTModel]], Iterable[tuple[object, str]]]
_extra_checks: dict[str, list[TreeCheck]] = {}


@dataclass(frozen=True)
class Problem:
    model: str
    pk: object
    message: str

    def __str__(self):
        return f"{self.model} id={self.pk}: {self.message}"


def tree_check(model) -> Callable[[TreeCheck], TreeCheck]:
    """Register a model-specific check: fn(model) yields (pk, message) for each bad node."""

    def register(fn: TreeCheck) -> TreeCheck:
        _extra_checks.setdefault(model._meta.label, []).append(fn)
        return fn

    return register


def mptt_models() -> list[type[MPTTModel]]:
    """Every concrete MPTT model of the installed apps (new trees are covered automatically)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, MPTTModel) and not model._meta.abstract and not model._meta.proxy
    ]


class _Sql:
    """Quoted table and column names of one MPTT model, for the aggregate queries."""

    def __init__(self, model):
        connection = connections[model._tree_manager.db]
        quote = connection.ops.quote_name
        opts = model._mptt_meta
        self.connection = connection
        self.table = quote(model._meta.db_table)
        self.pk = quote(model._meta.pk.column)
        self.parent = quote(model._meta.get_field(opts.parent_attr).column)
        self.lft = quote(model._meta.get_field(opts.left_attr).column)
        self.rght = quote(model._meta.get_field(opts.right_attr).column)
        self.tree = quote(model._meta.get_field(opts.tree_id_attr).column)
        self.level = quote(model._meta.get_field(opts.level_attr).column)

    def rows(self, sql: str) -> list[tuple]:
        sql = sql.format(
            t=self.table,
            pk=self.pk,
            parent=self.parent,
            lft=self.lft,
            rght=self.rght,
            tree=self.tree,
            level=self.level,
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql)  # no parameters: only quoted identifiers are interpolated
            return cursor.fetchall()


# Each query returns (pk, kind of problem, details...) for the bad nodes only.
_NODE_SQL = """
SELECT {pk}, {lft}, {rght}, {level}, {parent}
FROM {t}
WHERE {lft} < 1 OR {lft} >= {rght} OR ({rght} - {lft}) % 2 = 0
   OR ({parent} IS NULL AND ({level} <> 0 OR {lft} <> 1))
"""
_PARENT_SQL = """
SELECT c.{pk}, c.{tree}, p.{tree}, c.{lft}, c.{rght}, p.{lft}, p.{rght}, c.{level}, p.{level}, p.{pk}
FROM {t} c JOIN {t} p ON c.{parent} = p.{pk}
WHERE c.{tree} <> p.{tree} OR c.{lft} <= p.{lft} OR c.{rght} >= p.{rght} OR c.{level} <> p.{level} + 1
"""
# Siblings in lft order: each must start after the previous one ends.
_SIBLING_SQL = """
SELECT s.{pk}, s.prev_pk, s.{lft}, s.prev_rght FROM (
    SELECT {pk}, {lft},
        LAG({rght}) OVER (PARTITION BY {tree}, {parent} ORDER BY {lft}, {pk}) AS prev_rght,
        LAG({pk}) OVER (PARTITION BY {tree}, {parent} ORDER BY {lft}, {pk}) AS prev_pk
    FROM {t}
) s
WHERE s.prev_rght >= s.{lft}
"""
# Per tree: one root, whose interval is [1, 2 × node count]. Reported on the root (or the lowest id).
_TREE_SQL = """
SELECT {tree}, COUNT(*),
    SUM(CASE WHEN {parent} IS NULL THEN 1 ELSE 0 END),
    COALESCE(MIN(CASE WHEN {parent} IS NULL THEN {pk} END), MIN({pk})),
    MAX(CASE WHEN {parent} IS NULL THEN {rght} END),
    MIN({lft}), MAX({rght})
FROM {t}
GROUP BY {tree}
HAVING SUM(CASE WHEN {parent} IS NULL THEN 1 ELSE 0 END) <> 1
    OR MAX(CASE WHEN {parent} IS NULL THEN {rght} END) <> 2 * COUNT(*)
    OR MIN({lft}) <> 1 OR MAX({rght}) <> 2 * COUNT(*)
"""
# A bound (lft or rght) used twice in one tree: the nodes using it.
_BOUND_SQL = """
SELECT n.{pk}, d.bound, d.uses FROM {t} n JOIN (
    SELECT tree_id_, bound, COUNT(*) AS uses FROM (
        SELECT {tree} AS tree_id_, {lft} AS bound FROM {t}
        UNION ALL
        SELECT {tree}, {rght} FROM {t}
    ) b GROUP BY tree_id_, bound HAVING COUNT(*) > 1
) d ON n.{tree} = d.tree_id_ AND (n.{lft} = d.bound OR n.{rght} = d.bound)
ORDER BY d.bound, n.{pk}
"""
_SUMMARY_SQL = "SELECT COUNT(*), COUNT(DISTINCT {tree}) FROM {t}"


def _generic_problems(sql: _Sql) -> Iterator[tuple[object, str]]:
    for pk, lft, rght, level, parent in sql.rows(_NODE_SQL):
        if lft < 1 or lft >= rght:
            yield pk, f"lft={lft} must be at least 1 and below rght={rght}"
        if (rght - lft) % 2 == 0:
            yield pk, f"rght - lft = {rght - lft} is even (a node spans an odd width)"
        if parent is None and level != 0:
            yield pk, f"root has level {level}, not 0"
        if parent is None and lft != 1:
            yield pk, f"root has lft={lft}, not 1"
    for pk, tree, p_tree, lft, rght, p_lft, p_rght, level, p_level, p_pk in sql.rows(_PARENT_SQL):
        if tree != p_tree:
            yield pk, f"tree_id={tree} differs from its parent id={p_pk}'s tree_id={p_tree}"
        elif lft <= p_lft or rght >= p_rght:
            yield pk, f"[{lft}, {rght}] is not strictly inside its parent id={p_pk}'s [{p_lft}, {p_rght}]"
        if level != p_level + 1:
            yield pk, f"level={level} but its parent id={p_pk} has level {p_level}"
    for pk, prev_pk, lft, prev_rght in sql.rows(_SIBLING_SQL):
        yield pk, f"overlaps its sibling id={prev_pk} (lft={lft} ≤ the sibling's rght={prev_rght})"
    for tree, count, roots, root_pk, root_rght, min_lft, max_rght in sql.rows(_TREE_SQL):
        where = f"tree_id={tree}"
        if roots != 1:
            yield root_pk, f"{where} has {roots} roots, not 1"
        if root_rght != 2 * count:
            yield (
                root_pk,
                f"{where}: root rght={root_rght} but the tree has {count} nodes (expected {2 * count})",
            )
        if min_lft != 1 or max_rght != 2 * count:
            yield root_pk, f"{where}: bounds run from {min_lft} to {max_rght}, expected 1 to {2 * count}"
    for pk, bound, uses in sql.rows(_BOUND_SQL):
        yield pk, f"bound {bound} is used {uses} times in its tree (lft and rght values must be distinct)"


def check_model(model) -> list[Problem]:
    """Every inconsistency of one MPTT model: generic nested-set checks plus its registered hooks."""
    sql = _Sql(model)
    label = model._meta.label
    found = [Problem(label, pk, message) for pk, message in _generic_problems(sql)]
    for extra in _extra_checks.get(label, []):
        found.extend(Problem(label, pk, message) for pk, message in extra(model))
    return found


def summarize_model(model) -> tuple[int, int]:
    """(node count, tree count)."""
    (row,) = _Sql(model).rows(_SUMMARY_SQL)
    return row[0], row[1]


def discover_checks() -> None:
    """Import `<app>.tree_checks` of every installed app so their `@tree_check` hooks register."""
    autodiscover_modules("tree_checks")


@tree_check(Region)
def _region_problems(model) -> Iterator[tuple[object, str]]:
    """Region: the code extends the parent's code, the kind matches the depth, the code its kind."""
    levels = {0: model.Kind.DISTRICT, 1: model.Kind.STREET, 2: model.Kind.COMMUNITY}
    wrong_prefix = (
        model._tree_manager.filter(parent__isnull=False)
        .exclude(code__startswith=F("parent__code"))
        .values_list("pk", "code", "parent__code")
    )
    for pk, code, parent_code in wrong_prefix:
        yield pk, f"code {code} does not start with its parent's code {parent_code}"
    right_kind = Q()
    for level, kind in levels.items():
        right_kind |= Q(level=level, kind=kind)
    for pk, kind, level in model._tree_manager.exclude(right_kind).values_list("pk", "kind", "level"):
        yield pk, f"kind {kind} does not match its level {level}"
    right_length = Q()
    for kind, length in settings.REGION_CODE_LENGTHS.items():
        right_length |= Q(kind=kind, code_length=length)
    wrong_length = (
        model._tree_manager.annotate(code_length=Length("code"))
        .exclude(right_length)
        .values_list("pk", "kind", "code")
    )
    for pk, kind, code in wrong_length:
        yield pk, f"code {code} has the wrong length for a {kind}"
