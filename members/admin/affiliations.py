"""Admin of temporary and flowing periods for staff. Writes go through members.services.affiliations
(a new period starts one, a change records a contact or ends it); the form calls the service once
(config.admin_services), so its errors show on their fields and nothing is half-written. Periods are
never deleted: they are history."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from branches.models import PartyOrganization
from config.admin_services import ServiceModelAdmin
from config.service_forms import ServiceModelForm
from members.models import AffiliationRecord
from members.services.affiliations import affiliation_contact_record, affiliation_end, affiliation_start

START_FIELDS = (
    "member",
    "kind",
    "starts_on",
    "ends_on",
    "formal_party_organization",
    "formal_outside_body",
    "holding_party_organization",
    "location",
    "contact_party_organization",
    "last_contact_on",
    "note",
)


class AffiliationRecordForm(ServiceModelForm):
    aliases = {"on": "last_contact_on"}  # affiliation_contact_record's key

    class Meta:
        model = AffiliationRecord
        fields = START_FIELDS

    def write(self) -> AffiliationRecord:
        data = self.cleaned_data
        if self.instance.pk is None:
            values: dict[str, Any] = {k: data.get(k) for k in START_FIELDS}
            return affiliation_start(actor=self.actor, **values)
        record = self.instance
        contact = data.get("last_contact_on")
        # The contact date only moves forward (the service keeps the later one): a cleared or older date
        # shown on the form would not be saved, so it is refused on its field.
        if record.last_contact_on is not None and (contact is None or contact < record.last_contact_on):
            raise ValidationError(
                {
                    "last_contact_on": _("The last contact moves forward only: give %(date)s or a later day.")
                    % {"date": record.last_contact_on.isoformat()}
                }
            )
        # End first, so the contact is checked inside the period as ended (all in one transaction).
        if data.get("ends_on") and record.ends_on is None:
            record = affiliation_end(record=record, ends_on=data["ends_on"], actor=self.actor)
        if contact and contact != record.last_contact_on:
            record = affiliation_contact_record(record=record, on=contact, actor=self.actor)
        return record


@admin.register(AffiliationRecord)
class AffiliationRecordAdmin(ServiceModelAdmin):
    form = AffiliationRecordForm
    list_display = (
        "member",
        "kind",
        "starts_on",
        "ends_on",
        "holding_party_organization",
        "location",
        "contact_party_organization",
        "last_contact_on",
    )
    list_filter = ("kind", ("ends_on", admin.EmptyFieldListFilter))
    list_select_related = ("member", "holding_party_organization", "contact_party_organization")
    search_fields = ("member__name", "location", "formal_outside_body")
    raw_id_fields = ("member",)
    autocomplete_fields = (
        "formal_party_organization",
        "holding_party_organization",
        "contact_party_organization",
    )
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("recorded_by_label",)
        editable = {"last_contact_on"} | ({"ends_on"} if obj.ends_on is None else set())
        return [f for f in START_FIELDS if f not in editable] + ["recorded_by_label"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.remote_field.model is PartyOrganization:
            queryset = PartyOrganization.objects.visible_to(request.user).filter(status="active")
            if db_field.name == "holding_party_organization":
                queryset = queryset.filter(kind=PartyOrganization.Kind.TEMPORARY_BRANCH)
            kwargs["queryset"] = queryset.order_by("tree_id", "lft")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False
