"""The worker children's memory cap (settings.CELERY_WORKER_MEMORY_LIMIT_MB), applied when a child
starts (config.celery_app). An address-space limit (RLIMIT_AS): allocations past it raise
MemoryError in the task, which the import jobs record as "failed". POSIX only; elsewhere a no-op."""

from django.conf import settings


def apply_memory_cap(limit_mb: int | None = None) -> int | None:
    """Set the cap on the current process; returns it in bytes (None when off or unsupported)."""
    limit_mb = settings.CELERY_WORKER_MEMORY_LIMIT_MB if limit_mb is None else limit_mb
    if not limit_mb:
        return None
    try:
        import resource
    except ImportError:  # Windows
        return None
    limit = limit_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit
