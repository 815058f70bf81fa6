"""Staff pages of the registry import: template, upload, preview of every bad row, commit, progress.

Platform staff only (others: the admin login when anonymous, 404 when logged in);
an import is seen by its uploader alone (RegistryImport.objects.visible_to).
The long phases run in Celery; the pages are every import's (config.imports.pages), and the
detail page polls `progress` from static/js/registry_import.js (no inline script: the CSP forbids it).
"""

from functools import wraps

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.imports.pages import job_context, progress_state, upload_context
from config.paginator import CappedPaginator
from orgs.apps import OrgsConfig
from orgs.models import RegistryImport
from orgs.registry_io.forms import RegistryUploadForm
from orgs.registry_io.template import template_response
from orgs.selectors import registry_import_for_page, registry_imports_for
from orgs.services.registry_import import (
    REGISTRY_IMPORTS,
    registry_import_create,
    registry_import_request_commit,
    registry_import_retry,
)

ERRORS_PER_PAGE = 100
RECENT_IMPORTS = 10


def platform_staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not getattr(request.user, "is_platform_staff", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


STEPS = (
    gettext_lazy(
        "Download the template and fill in one organization per row (the second sheet explains each column)."
    ),
    gettext_lazy(
        "Upload the file: every row is checked first and each wrong cell is listed; nothing is written yet."
    ),
    gettext_lazy("When no row is wrong, confirm the import: all rows are written together, or none."),
)


def _crumbs() -> list:
    return [(reverse("admin:app_list", kwargs={"app_label": "orgs"}), OrgsConfig.verbose_name)]


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _get_job(request, pk: int) -> RegistryImport:
    return registry_import_for_page(request.user, pk)


@platform_staff_required
@require_GET
def template_download(request):
    return template_response(request.user)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = registry_import_create(
            user=request.user, file=form.cleaned_data["file"], language=get_language() or ""
        )
        return redirect("registry_io:detail", pk=job.pk)
    recent = registry_imports_for(request.user)[:RECENT_IMPORTS]
    context = upload_context(
        crumbs=_crumbs(),
        here=_("Import the registry"),
        steps=STEPS,
        template_url=reverse("registry_io:template"),
        job_url="registry_io:detail",
        jobs=recent,
        form=form,
    )
    return render(
        request, "admin/import.html", _context(request, _("Import the registry from Excel"), **context)
    )


@platform_staff_required
@require_GET
def import_detail(request, pk: int):
    job = _get_job(request, pk)
    context = job_context(
        jobs=REGISTRY_IMPORTS,
        job=job,
        kind="registry",
        crumbs=[*_crumbs(), (reverse("registry_io:start"), _("Import the registry"))],
        start_url=reverse("registry_io:start"),
        summary_template="orgs/registry_io/summary.html",
        errors=CappedPaginator(job.error_rows, ERRORS_PER_PAGE).get_page(request.GET.get("page")),
        commit_url=reverse("registry_io:commit", args=[job.pk]),
        retry_url=reverse("registry_io:retry", args=[job.pk]),
        progress_url=reverse("registry_io:progress", args=[job.pk]),
    )
    title = _("Registry import: %(name)s") % {"name": job.original_name}
    return render(request, "admin/import_job.html", _context(request, title, **context))


@platform_staff_required
@require_POST
def import_commit(request, pk: int):
    job = _get_job(request, pk)
    try:
        registry_import_request_commit(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry_io:detail", pk=job.pk)


@platform_staff_required
@require_GET
def import_file(request, pk: int):
    """The uploaded workbook, to its uploader (and superusers) only: the file holds contact phones
    and lives in private storage, which no web server serves."""
    job = _get_job(request, pk)
    if not job.file:
        raise Http404(_("The uploaded file is no longer kept."))
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404(_("The uploaded file is no longer kept.")) from None
    response = FileResponse(handle, as_attachment=True, filename=job.original_name or "registry.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


@platform_staff_required
@require_POST
def import_retry(request, pk: int):
    """A failed job (worker died, timed out, internal error) runs again from its uploaded file."""
    job = _get_job(request, pk)
    try:
        registry_import_retry(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("registry_io:detail", pk=job.pk)


@platform_staff_required
@require_GET
def import_progress(request, pk: int):
    return JsonResponse(progress_state(REGISTRY_IMPORTS, _get_job(request, pk)))
