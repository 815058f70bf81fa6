"""Staff pages of the registry import: template, upload, preview of every bad row, commit, progress.

Platform staff only (others: the admin login when anonymous, 404 when logged in);
an import is seen by its uploader alone (RegistryImport.objects.visible_to).
The long phases run in Celery; the detail page polls `progress` from
static/js/registry_import.js (no inline script: the CSP forbids it).
"""

from functools import wraps

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import get_visible_or_404
from config.paginator import CappedPaginator
from orgs.models import RegistryImport
from orgs.registry_io import progress
from orgs.registry_io.forms import RegistryUploadForm
from orgs.registry_io.template import template_response
from orgs.services.registry_import import (
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


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _get_job(request, pk: int) -> RegistryImport:
    return get_visible_or_404(RegistryImport.objects.select_related("created_by"), request.user, pk=pk)


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
    recent = RegistryImport.objects.visible_to(request.user).select_related("created_by")[:RECENT_IMPORTS]
    return render(
        request,
        "orgs/registry_io/start.html",
        _context(request, _("Import the registry from Excel"), form=form, recent=recent),
    )


def _progress_payload(job: RegistryImport) -> dict:
    state = progress.read(job)
    state["status_label"] = str(job.get_status_display())
    state["running"] = job.is_running
    state["label"] = _("%(processed)s of %(total)s rows (%(percent)d%%)") % {
        "processed": number_format(state["processed"], force_grouping=True),
        "total": number_format(state["total"], force_grouping=True),
        "percent": state["percent"],
    }
    return state


@platform_staff_required
@require_GET
def import_detail(request, pk: int):
    job = _get_job(request, pk)
    errors = CappedPaginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/registry_io/detail.html",
        _context(
            request,
            _("Registry import: %(name)s") % {"name": job.original_name},
            job=job,
            errors=errors,
            state=_progress_payload(job),
        ),
    )


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
    return JsonResponse(_progress_payload(_get_job(request, pk)))
