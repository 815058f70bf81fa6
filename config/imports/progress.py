"""Live progress of an import job, readable while its commit transaction is still open.

The commit writes every row inside one transaction, so a processed-row count saved on the job's
row would stay invisible to the polling page until the end. Progress therefore goes through the
cache: Redis in production, shared by the worker and the web processes; local memory in the quick
start and tests, where Celery runs eagerly and the row already holds the final figures.
The row stays the source of truth once a phase ends; the cache adds the running count.
"""

import time
from typing import Any

from django.core.cache import cache

from config import page_cache

# Long enough for any job; a stale entry is ignored once the row's status moves on.
PROGRESS_TTL_SECONDS = 6 * 60 * 60


class JobProgress:
    def __init__(self, prefix: str):
        self.prefix = prefix

    def _key(self, job_id: int) -> str:
        return f"{self.prefix}:{job_id}:progress"

    def report(self, job_id: int, *, status: str, processed: int, total: int) -> None:
        """Also the job's heartbeat: `at` tells the stale-job check the worker is still alive."""
        cache.set(
            self._key(job_id),
            {"status": status, "processed": processed, "total": total, "at": time.time()},
            PROGRESS_TTL_SECONDS,
        )

    def last_beat(self, job_id: int) -> float | None:
        """When the job last reported progress (a Unix time), or None."""
        page_cache.mark_uncacheable()  # live state: a page showing it is never replayed
        live = cache.get(self._key(job_id))
        return live.get("at") if live else None

    def clear(self, job_id: int) -> None:
        cache.delete(self._key(job_id))

    def read(self, job: Any) -> dict:
        """{status, processed, total, percent} for `job`, live while it runs."""
        page_cache.mark_uncacheable()  # live state: a page showing it is never replayed
        status, processed, total = job.status, job.processed_rows, job.total_rows
        live = cache.get(self._key(job.pk)) if job.is_running else None
        if live and live.get("status") == status:
            processed, total = live["processed"], live["total"] or total
        total = max(total, processed)
        if job.is_running:
            percent = int(processed * 100 / total) if total else 0
        else:
            percent = 0 if status == job.Status.FAILED else 100
        return {"status": status, "processed": processed, "total": total, "percent": percent}
