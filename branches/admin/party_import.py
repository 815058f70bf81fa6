"""The admin's Excel import of the party side (branches.party_import), run as a Celery job: upload
(size-capped) → a worker checks every row (rolled back: per-cell errors, counts) → confirm → a worker
imports it all or nothing. The job page shows its progress (refreshing itself while it runs), its
errors, a failed state with the reason, and a retry for a failed job."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from branches.party_import.job import PartyImport
from branches.party_import.jobs import (
    MAX_UPLOAD_BYTES,
    party_import_create,
    party_import_request_commit,
    party_import_retry,
    progress_read,
)
from branches.party_import.workbook import template_response
from config.mixin_bases import ModelAdminMixinBase

RECENT_JOBS = 10


class PartyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Party workbook (.xlsx)"),
        help_text=gettext_lazy("Start from the template: sheets 党组织, 覆盖关系, 党建指导员, 指导关系."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file


class PartyImportAdminMixin(ModelAdminMixinBase):
    """Adds import/, import/<id>/ and import/template.xlsx to PartyOrganizationAdmin."""

    def import_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="branches_partyorganization_import"),
            path(
                "import/<int:job_id>/",
                view(self.import_job_view),
                name="branches_partyorganization_import_job",
            ),
            path(
                "import/template.xlsx",
                view(self.import_template_view),
                name="branches_partyorganization_import_template",
            ),
        ]

    def _import_context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import party organizations, links and instructors from Excel"),
            **extra,
        }

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        return template_response()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        form = PartyUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = party_import_create(
                    actor=request.user, file=form.cleaned_data["file"], language=get_language()
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect("admin:branches_partyorganization_import_job", job_id=job.pk)
        jobs = PartyImport.objects.visible_to(request.user).select_related("created_by")[:RECENT_JOBS]
        context = self._import_context(request, form=form, jobs=jobs)
        return TemplateResponse(request, "admin/branches/partyorganization/import.html", context)

    def import_job_view(self, request, job_id: int):
        if not self.has_add_permission(request):
            raise Http404
        job = PartyImport.objects.visible_to(request.user).filter(pk=job_id).first()
        if job is None:
            raise Http404
        if request.method == "POST":
            service = {"confirm": party_import_request_commit, "retry": party_import_retry}.get(
                request.POST.get("action")
            )
            if service is None:
                raise Http404
            try:
                service(job=job, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("admin:branches_partyorganization_import_job", job_id=job.pk)
        context = self._import_context(request, job=job, state=progress_read(job))
        return TemplateResponse(request, "admin/branches/partyorganization/import_job.html", context)
