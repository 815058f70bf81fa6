"""Live progress of a registry import job (config.imports.progress: the cache, also the heartbeat)."""

from config.imports.progress import JobProgress

PROGRESS = JobProgress("orgs:registry_import")
report, last_beat, clear, read = PROGRESS.report, PROGRESS.last_beat, PROGRESS.clear, PROGRESS.read
