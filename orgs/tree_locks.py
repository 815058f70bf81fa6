"""Serialise writes to an MPTT tree, one lock per tree (Saleor's pattern).

On PostgreSQL a transaction-level advisory lock keyed by (model, tree) lets
writers of different districts run in parallel. Other databases serialise
writes themselves (SQLite has one writer); a process-local lock covers threads.

Every service that inserts, moves or deletes nodes runs inside `tree_lock`
(or `tree_lock_for`, which finds the trees from the rows). New roots are
always appended as the last tree (`NEW_TREE` lock), so tree ids never shift
and a lock on tree N keeps meaning tree N.
"""

import threading
import zlib
from contextlib import ExitStack, contextmanager

from django.db import connection, transaction

_local_locks: dict[tuple[str, int], threading.RLock] = {}
_guard = threading.Lock()
# tree_id 0 stands for "the set of trees": taken when a new root (tree) is created.
NEW_TREE = 0
# A node whose tree changes between reading its tree_id and locking it (a concurrent
# cross-tree move) is re-read; more rounds than this means something is looping.
_MAX_LOCK_ROUNDS = 5


def _model_key(model) -> int:
    # crc32 fits a signed int4 once masked; stable across processes (unlike hash()).
    return zlib.crc32(model._meta.label_lower.encode()) & 0x7FFFFFFF


def _acquire(model, tree_id: int, stack: ExitStack) -> None:
    """Take one tree's lock until the transaction (PostgreSQL) or the stack (elsewhere) ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_model_key(model), tree_id])
        return
    with _guard:
        lock = _local_locks.setdefault((model._meta.label_lower, tree_id), threading.RLock())
    lock.acquire()
    stack.callback(lock.release)


@contextmanager
def tree_lock(model, *tree_ids: int):
    """Hold the write lock of each tree named, in ascending order (no deadlocks), in one transaction.

    Process-local locks (non-PostgreSQL) are released after the transaction ends, not before.
    """
    with ExitStack() as stack, transaction.atomic():
        for tree_id in sorted(set(tree_ids)):
            _acquire(model, tree_id, stack)
        yield


def _tree_ids_of(model, pks) -> set[int]:
    tree_attr = model._mptt_meta.tree_id_attr
    return set(model._tree_manager.filter(pk__in=pks).values_list(tree_attr, flat=True))


@contextmanager
def tree_lock_for(model, *nodes, new_tree: bool = False):
    """Lock the trees the given nodes are in *now* (read from the database, not the instances).

    The tree ids are re-read once the locks are held: if a concurrent move put a
    node into another tree meanwhile, that tree is locked too. `new_tree` adds the
    NEW_TREE lock (a new root will be created).
    """
    pks = [node.pk for node in nodes if node is not None and node.pk is not None]
    with ExitStack() as stack, transaction.atomic():
        held: set[int] = set()
        wanted = _tree_ids_of(model, pks) | ({NEW_TREE} if new_tree else set())
        for _ in range(_MAX_LOCK_ROUNDS):
            for tree_id in sorted(wanted - held):
                _acquire(model, tree_id, stack)
            held |= wanted
            wanted = _tree_ids_of(model, pks) if pks else set()
            if wanted <= held:
                break
        else:  # pragma: no cover - needs a move storm on the same rows
            raise RuntimeError(f"Could not lock the trees of {model.__name__} {pks}: they keep moving.")
        yield
