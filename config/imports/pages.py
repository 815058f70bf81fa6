"""The staff pages of an import job, one pair of templates for every import: `admin/import.html`
(steps, upload form, the user's recent jobs) and `admin/import_job.html` (progress while it runs,
the counts, confirm, the errors, retry). The registry's pages (orgs.views.registry_io) and the
admin's (config.imports.admin) fill them with these contexts."""

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def progress_state(jobs: Any, job: Any) -> dict:
    """{status, processed, total, percent, status_label, running, label}: the job page's progress
    box and the JSON its script polls."""
    state = jobs.progress.read(job)
    state["status_label"] = str(job.get_status_display())
    state["running"] = job.is_running
    state["label"] = _("%(processed)s of %(total)s rows (%(percent)d%%)") % {
        "processed": number_format(state["processed"], force_grouping=True),
        "total": number_format(state["total"], force_grouping=True),
        "percent": state["percent"],
    }
    return state


def upload_context(
    *, crumbs: Any, here: str, steps: Any, template_url: str, job_url: str, jobs: Any, form: Any
) -> dict:
    """`crumbs`: [(url, label)] above this page; `job_url`: the URL name of a job's page (one arg)."""
    return {
        "crumbs": crumbs,
        "here": here,
        "steps": steps,
        "template_url": template_url,
        "job_url": job_url,
        "jobs": jobs,
        "form": form,
    }


def job_context(
    *,
    jobs: Any,
    job: Any,
    kind: str,
    crumbs: Any,
    start_url: str,
    summary_template: str,
    errors: Any = None,
    commit_url: str = "",
    retry_url: str = "",
    progress_url: str = "",
) -> dict:
    """`kind` names the page's CSS classes and test ids ("<kind>-import-…"); `summary_template`
    renders the job's counts in the import's words; `errors` (a page of `job.error_rows`, all of
    them by default); the three URLs are where the buttons post (empty: this page, with an
    `action`) and what the progress script polls (empty: the page refreshes itself)."""
    return {
        "job": job,
        "kind": kind,
        "crumbs": crumbs,
        "start_url": start_url,
        "summary_template": summary_template,
        "errors": job.error_rows if errors is None else errors,
        "commit_url": commit_url,
        "retry_url": retry_url,
        "progress_url": progress_url,
        "state": progress_state(jobs, job),
        "committing": job.status == job.COMMITTING,
    }
