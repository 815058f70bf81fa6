"""Background imports, one mechanism for all of them (registry, party workbook, members).

An import is a job row (`models.ImportJob`, abstract: each import keeps its own table) and one
`jobs.ImportJobs` service: upload → check in a worker (nothing written) → confirm → commit in a
worker (one transaction, all rows or none), with attempts, a stale check, a retry and a purge of
old workbooks. Each import supplies only its reader and its checker (`check()` and `write()`).
Live progress goes through the cache (`progress.JobProgress`); staff see the job on one admin
template (`templates/admin/import_job.html`, through `admin.ImportJobAdminMixin`).
"""
