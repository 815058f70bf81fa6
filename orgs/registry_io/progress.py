"""Live progress of an import job, readable while its commit transaction is still open.

The commit writes every row inside one transaction, so a processed-row count
saved on the RegistryImport row would stay invisible to the polling page until
the end. Progress therefore goes through the cache:

- production (REDIS_URL set): the cache is Redis, shared by the worker that
  runs the job and the web processes that answer the polling page;
- quick start and tests (no REDIS_URL): the cache is local memory, but Celery
  then runs tasks eagerly inside the request that started them, so the job is
  finished before any poll arrives and the RegistryImport row (written at the
  end of each phase) already holds the final figures.

The row stays the source of truth for the status once a phase ends; the cache
entry only adds the running count of the phase in progress.
"""

import time
from typing import TYPE_CHECKING

from django.core.cache import cache

if TYPE_CHECKING:
    from orgs.models import RegistryImport

# Long enough for any job; a stale entry is ignored once the row's status moves on.
PROGRESS_TTL_SECONDS = 6 * 60 * 60


def _key(import_id: int) -> str:
    return f"orgs:registry_import:{import_id}:progress"


def report(import_id: int, *, status: str, processed: int, total: int) -> None:
    """Also the job's heartbeat: `at` tells the stale-job check the worker is still alive."""
    cache.set(
        _key(import_id),
        {"status": status, "processed": processed, "total": total, "at": time.time()},
        PROGRESS_TTL_SECONDS,
    )


def last_beat(import_id: int) -> float | None:
    """When the job last reported progress (a Unix time), or None."""
    live = cache.get(_key(import_id))
    return live.get("at") if live else None


def clear(import_id: int) -> None:
    cache.delete(_key(import_id))


def read(job: "RegistryImport") -> dict:
    """{status, processed, total, percent} for `job`, live while it runs."""
    status, processed, total = job.status, job.processed_rows, job.total_rows
    live = cache.get(_key(job.pk)) if job.is_running else None
    if live and live.get("status") == status:
        processed, total = live["processed"], live["total"] or total
    total = max(total, processed)
    percent = 100 if total == 0 and not job.is_running else int(processed * 100 / total) if total else 0
    return {"status": status, "processed": processed, "total": total, "percent": percent}
