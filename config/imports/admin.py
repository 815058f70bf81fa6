"""The admin pages of an import job (party workbook, members), on the shared templates
(config.imports.pages): upload with the user's recent jobs, the job's page (progress while it
runs, errors, confirm, retry), the template download. The import's counts are worded by
`admin/<app>/<model>/import_summary.html`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from config.imports.pages import job_context, upload_context
from config.mixin_bases import ModelAdminMixinBase

RECENT_JOBS = 10


class ImportJobAdminMixin(ModelAdminMixinBase):
    """Adds import/, import/<id>/ and import/template.xlsx (named <app>_<model>_import…)."""

    import_jobs: Any = None  # the config.imports.jobs.ImportJobs service of this import
    import_form: Any = None  # the upload form (its "file" field)
    import_kind = ""  # CSS classes and test ids of the job page: "<kind>-import-…"
    import_title: Any = ""  # str or a lazy translation
    import_steps: tuple = ()  # the steps on the upload page; the first links the template

    def import_template_response(self, request: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def import_job_title(self, job: Any) -> str:
        return str(self.import_title)

    def _import_url(self, suffix: str = "") -> str:
        opts = self.model._meta
        return f"admin:{opts.app_label}_{opts.model_name}_import{suffix}"

    def import_urls(self) -> Any:
        view = self.admin_site.admin_view
        name = self._import_url().removeprefix("admin:")
        return [
            path("import/", view(self.import_view), name=name),
            path("import/<int:job_id>/", view(self.import_job_view), name=f"{name}_job"),
            path("import/template.xlsx", view(self.import_template_view), name=f"{name}_template"),
        ]

    def _crumbs(self) -> list:
        opts = self.model._meta
        return [
            (reverse("admin:app_list", kwargs={"app_label": opts.app_label}), opts.app_config.verbose_name),
            (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                str(opts.verbose_name_plural).capitalize(),
            ),
        ]

    def _render(self, request: Any, template: str, title: str, context: dict) -> Any:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }
        return TemplateResponse(request, template, context)

    def import_template_view(self, request: Any) -> Any:
        if not self.has_add_permission(request):
            raise Http404
        return self.import_template_response(request)

    @method_decorator(never_cache)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def import_view(self, request: Any) -> Any:
        """GET: the upload form and the user's recent jobs. POST: store the file, queue its check in
        the worker, and go to the job's page."""
        if not self.has_add_permission(request):
            raise Http404
        form = self.import_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = self.import_jobs.create(
                    actor=request.user, file=form.cleaned_data["file"], language=get_language() or ""
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                return redirect(self._import_url("_job"), job_id=job.pk)
        jobs = self.import_jobs.model.objects.visible_to(request.user).select_related("created_by")
        context = upload_context(
            crumbs=self._crumbs(),
            here=_("Import from Excel"),
            steps=self.import_steps,
            template_url=reverse(self._import_url("_template")),
            job_url=self._import_url("_job"),
            jobs=jobs[:RECENT_JOBS],
            form=form,
        )
        return self._render(request, "admin/import.html", str(self.import_title), context)

    @method_decorator(never_cache)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def import_job_view(self, request: Any, job_id: int) -> Any:
        """The job's state (the page refreshes itself while it runs), its errors and warnings; POST
        "commit" (or "confirm") queues the write of a checked job, POST "retry" runs a failed one again."""
        if not self.has_add_permission(request):
            raise Http404
        job = self.import_jobs.model.objects.visible_to(request.user).filter(pk=job_id).first()
        if job is None:
            raise Http404
        if request.method == "POST":
            service = {
                "commit": self.import_jobs.request_commit,
                "confirm": self.import_jobs.request_commit,
                "retry": self.import_jobs.retry,
            }.get(request.POST.get("action"))
            if service is None:
                raise Http404
            try:
                service(job=job, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(self._import_url("_job"), job_id=job.pk)
        opts = self.model._meta
        start_url = reverse(self._import_url())
        context = job_context(
            jobs=self.import_jobs,
            job=job,
            kind=self.import_kind,
            crumbs=[*self._crumbs(), (start_url, _("Import from Excel"))],
            start_url=start_url,
            summary_template=f"admin/{opts.app_label}/{opts.model_name}/import_summary.html",
        )
        return self._render(request, "admin/import_job.html", self.import_job_title(job), context)
