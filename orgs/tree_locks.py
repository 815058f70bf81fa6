"""Serialise writes to an MPTT tree, one lock per tree (Saleor's pattern).

On PostgreSQL a transaction-level advisory lock keyed by (model, tree) lets
writers of different districts run in parallel. Other databases serialise
writes themselves (SQLite has one writer); a process-local lock covers threads.
"""

import threading
import zlib
from contextlib import contextmanager

from django.db import connection, transaction

_local_locks: dict[tuple[str, int], threading.RLock] = {}
_guard = threading.Lock()
# tree_id 0 stands for "the set of trees": taken when a new root (tree) is created.
NEW_TREE = 0


def _model_key(model) -> int:
    # crc32 fits a signed int4 once masked; stable across processes (unlike hash()).
    return zlib.crc32(model._meta.label_lower.encode()) & 0x7FFFFFFF


@contextmanager
def tree_lock(model, *tree_ids: int):
    """Hold the write lock of each tree named, in ascending order (no deadlocks)."""
    ids = sorted(set(tree_ids))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for tree_id in ids:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_model_key(model), tree_id])
            yield
        else:
            locks = []
            for tree_id in ids:
                with _guard:
                    lock = _local_locks.setdefault((model._meta.label_lower, tree_id), threading.RLock())
                lock.acquire()
                locks.append(lock)
            try:
                yield
            finally:
                for lock in reversed(locks):
                    lock.release()
