"""The admin's Excel import of the party side (branches.party_import): upload and check (a full run
rolled back: per-cell errors, counts), then confirm (the same file, written all or nothing)."""

import io

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.party_import.run import party_import_run
from branches.party_import.workbook import template_response
from members.import_export import stash

MAX_BYTES = 10 * 1024 * 1024


class PartyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Party workbook (.xlsx)"),
        help_text=gettext_lazy("Start from the template: sheets 党组织, 覆盖关系, 党建指导员, 指导关系."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file


class PartyImportAdminMixin:
    """Adds import/ and import/template.xlsx to PartyOrganizationAdmin."""

    def import_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="branches_partyorganization_import"),
            path(
                "import/template.xlsx",
                view(self.import_template_view),
                name="branches_partyorganization_import_template",
            ),
        ]

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        return template_response()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        form = PartyUploadForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import party organizations, links and instructors from Excel"),
            "form": form,
        }
        if request.method == "POST" and request.POST.get("token"):
            data = stash.load(request.user, request.POST["token"])
            if data is None:
                messages.error(request, _("The uploaded file has expired; upload it again."))
                return redirect("admin:branches_partyorganization_import")
            report = party_import_run(file=io.BytesIO(data), actor=request.user, commit=True)
            if not report.committed:
                context["report"] = report
                messages.error(request, _("Some rows are now refused; nothing was written."))
                return TemplateResponse(request, "admin/branches/partyorganization/import.html", context)
            stash.drop(request.user, request.POST["token"])
            messages.success(
                request,
                _("Imported: %(created)d rows added, %(updated)d updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("admin:branches_partyorganization_changelist")
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            report = party_import_run(file=io.BytesIO(data), actor=request.user, commit=False)
            context["report"] = report
            if report.ok:
                context["token"] = stash.stash(request.user, data)
        return TemplateResponse(request, "admin/branches/partyorganization/import.html", context)
