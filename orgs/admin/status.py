"""The status history of organizations in the admin: a read-only table on the organization, and its
own changelist where staff record, correct and remove rows through orgs.services.status_history
(django-auditlog records every correction and removal)."""

from django import forms
from django.contrib import admin
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin_services import RemoveThroughServiceMixin, ServiceModelAdmin
from config.service_forms import ServiceModelForm
from orgs.models import OrganizationStatusChange
from orgs.services.status_history import (
    organization_status_correct,
    organization_status_record,
    organization_status_remove,
)


def status_history_table(organization) -> str:
    """The organization's history on its change page, each row linking to its own page (where it
    is corrected or removed), and a link to record a new row."""
    if organization is None or organization.pk is None:
        return "—"
    rows = organization.status_changes.select_related("recorded_by").order_by(F("on").asc(nulls_first=True))
    body = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:orgs_organizationstatuschange_change", args=[row.pk]),
                row.get_kind_display(),
                row.on or _("date unknown"),
                row.until or "",
                row.document,
            )
            for row in rows
        ),
    )
    add = reverse("admin:orgs_organizationstatuschange_add") + f"?organization={organization.pk}"
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
        '<p><a href="{}">{}</a></p>',
        _("status change"),
        _("effective on"),
        _("in force until"),
        _("document"),
        body,
        add,
        _("Record a status change"),
    )


class StatusChangeForm(ServiceModelForm):
    reinstated_on = forms.DateField(
        label=_("reinstated on"),
        required=False,
        help_text=_("For a deregistration or revocation that was later undone: the reinstatement's date."),
    )

    class Meta:
        model = OrganizationStatusChange
        fields = ("organization", "kind", "on", "document", "note")

    def write(self):
        data = self.cleaned_data
        if self.instance.pk is None:
            return organization_status_record(
                organization=data["organization"],
                kind=data["kind"],
                on=data.get("on"),
                reinstated_on=data.get("reinstated_on"),
                document=data.get("document", ""),
                note=data.get("note", ""),
                actor=self.actor,
            )
        return organization_status_correct(
            change=OrganizationStatusChange.objects.get(pk=self.instance.pk),
            kind=data["kind"],
            on=data.get("on"),
            document=data.get("document", ""),
            note=data.get("note", ""),
            actor=self.actor,
        )


@admin.register(OrganizationStatusChange)
class OrganizationStatusChangeAdmin(RemoveThroughServiceMixin, ServiceModelAdmin):
    form = StatusChangeForm
    list_display = ("organization", "kind", "on", "until", "recorded_by_label")
    list_filter = ("kind",)
    list_select_related = ("organization", "recorded_by")
    search_fields = ("organization__name", "organization__uscc")
    autocomplete_fields = ("organization",)
    readonly_fields = ("until", "recorded_by_label", "recorded_at")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organization", "kind", "on", "reinstated_on", "document", "note")
        return ("organization", "kind", "on", "until", "document", "note", "recorded_by_label", "recorded_at")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("organization",) if obj is not None else ())

    def remove_row(self, request, obj):
        organization_status_remove(change=obj, actor=request.user)
