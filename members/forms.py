"""Forms of the members app (admin and portal). Services judge every write.

`MemberForm` never shows a stored ID number or phone: those inputs start empty and,
on an existing member, an empty input keeps the stored value. Forms call their
service once, while they validate (config.service_forms), so each refusal is shown
next to its field and a valid form has written (`form.saved`).
"""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from config.date_bounds import BoundedDateField
from config.service_forms import ServiceForm, ServiceModelForm
from members.models import Member
from members.selectors import employer_choices, introducer_choices
from members.services import status
from members.services.members import member_create, member_update
from members.services.stages import (
    member_admit,
    member_convert_to_full,
    member_extend_probation,
    member_make_activist,
    member_make_candidate,
    member_record_political_review,
    member_record_training,
    member_set_contacts,
    member_set_introducers,
)
from members.services.transfers import transfer_send


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


PERSON_FIELDS = ("name", "gender", "birth_date", "ethnicity", "education", "employer")
NEW_ONLY_FIELDS = (
    "party_organization",
    "stage",
    "applied_on",
    "activist_on",
    "candidate_on",
    "admitted_on",
    "full_on",
)


class MemberForm(ServiceModelForm):
    """A person's data; on a new person also where and at which stage they are registered."""

    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    document = forms.CharField(label=_("document"), max_length=200, required=False)

    warnings: list[str]
    # The service validates the instance; the ModelForm's own instance check would judge a
    # half-built row (no ID number yet).
    model_validation = False

    class Meta:
        model = Member
        fields = (*PERSON_FIELDS, *NEW_ONLY_FIELDS)
        widgets = {name: DateInput() for name in ("birth_date", *NEW_ONLY_FIELDS[2:])}

    def __init__(self, *args, actor=None, party_organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None:
            self.actor = actor
        self.warnings = []
        # The admin lists these among the model's fields, which would prefill the stored values.
        self.initial.pop("id_number", None)
        self.initial.pop("phone", None)
        # The birth date is eight digits of the ID number: shown, it would unmask half of it.
        self.initial.pop("birth_date", None)
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["gender"].help_text = _("Empty: taken from the ID number.")
        self.fields["birth_date"].help_text = _("Empty: taken from the ID number.")
        if "employer" in self.fields:
            cast(forms.ModelChoiceField, self.fields["employer"]).queryset = employer_choices(
                self.actor
            ).order_by("name")
        if self.instance.pk:
            for name in (*NEW_ONLY_FIELDS, "document"):
                self.fields.pop(name, None)
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.id_number_masked
            }
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.phone_masked or "—"
            }
            self.fields["birth_date"].help_text = _(
                "Hidden, like the ID number it is part of. Leave empty to keep it."
            )
        else:
            self.fields["id_number"].required = True
            if party_organizations is not None:
                cast(forms.ModelChoiceField, self.fields["party_organization"]).queryset = party_organizations

    def _person(self) -> dict:
        data = self.cleaned_data
        person = {name: data.get(name) for name in PERSON_FIELDS if name in self.fields}
        person["gender"] = person.get("gender") or ""
        person["education"] = person.get("education") or ""
        return person

    def write(self) -> Member:
        data = self.cleaned_data
        if self.instance.pk:
            changes = self._person()
            if data.get("id_number"):
                changes["id_number"] = data["id_number"]
            if data.get("phone"):
                changes["phone"] = data["phone"]
            for optional in ("gender", "birth_date"):  # empty: keep (they must agree with the number)
                if not changes.get(optional):
                    changes.pop(optional, None)
            member = member_update(member=self.instance, actor=self.actor, **changes)
        else:
            new_only: dict[str, Any] = {name: data.get(name) for name in NEW_ONLY_FIELDS}
            member = member_create(
                actor=self.actor,
                id_number=data.get("id_number", ""),
                phone=data.get("phone", ""),
                document=data.get("document", ""),
                **self._person(),
                **new_only,
            )
        self.warnings = getattr(member, "warnings", [])
        return member


# --- pipeline steps (portal) ------------------------------------------------------------------------


class _StepForm(ServiceForm):
    """A step's form: `member` and `actor` set by the view; `aliases` map service keys to fields."""

    def __init__(self, *args, member: Member, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.member, self.actor = member, actor


def _people_field(label, member: Member, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=introducer_choices(member),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


class ActivistForm(_StepForm):
    on = BoundedDateField(label=_("activist since"), widget=DateInput())
    document = forms.CharField(label=_("document"), max_length=200, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["contacts"] = _people_field(
            _("cultivation contacts"), member, _("One or two full members of the branch.")
        )

    def write(self):

        data = self.cleaned_data
        return member_make_activist(
            member=self.member,
            on=data["on"],
            contacts=data.get("contacts") or [],
            document=data.get("document", ""),
            actor=self.actor,
        )


class ContactsForm(_StepForm):
    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["contacts"] = _people_field(_("cultivation contacts"), member)
        self.fields["contacts"].initial = list(member.contacts.values_list("pk", flat=True))

    def write(self):

        return member_set_contacts(
            member=self.member, contacts=self.cleaned_data.get("contacts") or [], actor=self.actor
        )


class IntroducersForm(_StepForm):
    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["introducers"] = _people_field(
            _("introducers"), member, _("Two full members of the branch.")
        )
        self.fields["introducers"].initial = list(member.introducers.values_list("pk", flat=True))

    def write(self):

        return member_set_introducers(
            member=self.member, introducers=self.cleaned_data.get("introducers") or [], actor=self.actor
        )


class TrainingForm(_StepForm):
    training_hours = forms.IntegerField(label=_("collective training (class hours)"), min_value=0)
    training_days = forms.IntegerField(label=_("collective training (days)"), min_value=0)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["training_hours"].initial = member.training_hours
        self.fields["training_days"].initial = member.training_days

    def write(self):

        data = self.cleaned_data
        return member_record_training(
            member=self.member, hours=data["training_hours"], days=data["training_days"], actor=self.actor
        )


class PoliticalReviewForm(_StepForm):
    passed_on = BoundedDateField(label=_("political review passed on"), widget=DateInput())

    def write(self):

        return member_record_political_review(
            member=self.member, passed_on=self.cleaned_data["passed_on"], actor=self.actor
        )


class CandidateForm(_StepForm):
    on = BoundedDateField(label=_("candidate since"), widget=DateInput())
    document = forms.CharField(label=_("document"), max_length=200, required=False)
    aliases = {"political_review_passed_on": NON_FIELD_ERRORS, "introducers": NON_FIELD_ERRORS}

    def write(self):

        data = self.cleaned_data
        return member_make_candidate(
            member=self.member, on=data["on"], document=data.get("document", ""), actor=self.actor
        )


class AdmitForm(_StepForm):
    admitted_on = BoundedDateField(label=_("admission vote on"), widget=DateInput())
    document = forms.CharField(label=_("document"), max_length=200, required=False)

    def write(self):

        data = self.cleaned_data
        return member_admit(
            member=self.member,
            admitted_on=data["admitted_on"],
            document=data.get("document", ""),
            actor=self.actor,
        )


class ExtendProbationForm(_StepForm):
    months = forms.IntegerField(label=_("extension (months)"))
    document = forms.CharField(label=_("document"), max_length=200, required=False)

    def write(self):

        data = self.cleaned_data
        return member_extend_probation(
            member=self.member, months=data["months"], document=data.get("document", ""), actor=self.actor
        )


class ConvertForm(_StepForm):
    on = BoundedDateField(label=_("full member since"), widget=DateInput())
    document = forms.CharField(label=_("document"), max_length=200, required=False)

    def write(self):

        data = self.cleaned_data
        return member_convert_to_full(
            member=self.member, on=data["on"], document=data.get("document", ""), actor=self.actor
        )


class StatusForm(_StepForm):
    ACTIONS = (
        ("suspend", _("Suspend the membership (out of contact)")),
        ("reinstate", _("Lift the suspension")),
        ("left", _("Left")),
        ("deceased", _("Deceased")),
    )
    action = forms.ChoiceField(label=_("change"), choices=ACTIONS)
    on = BoundedDateField(label=_("effective on"), widget=DateInput())
    out_of_contact_since = BoundedDateField(
        label=_("out of contact since"),
        widget=DateInput(),
        required=False,
        help_text=_("For a suspension only."),
    )
    document = forms.CharField(label=_("document"), max_length=200, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def write(self):

        data = self.cleaned_data
        common = {
            "member": self.member,
            "on": data["on"],
            "document": data.get("document", ""),
            "actor": self.actor,
        }
        action = data["action"]
        if action == "suspend":
            return status.member_suspend(
                out_of_contact_since=data.get("out_of_contact_since"), reason=data.get("reason", ""), **common
            )
        if action == "reinstate":
            return status.member_reinstate(reason=data.get("reason", ""), **common)
        if action == "left":
            return status.member_mark_left(reason=data.get("reason", ""), **common)
        return status.member_mark_deceased(**common)


# --- transfers (portal) -------------------------------------------------------------------------------


class TransferSendForm(_StepForm):
    to_party_organization: "forms.ModelChoiceField[PartyOrganization]" = forms.ModelChoiceField(
        label=_("receiving party organization"), queryset=None, required=False
    )
    outside_unit = forms.CharField(label=_("or a unit outside the system"), max_length=200, required=False)
    sent_on = BoundedDateField(label=_("sent on"), widget=DateInput())
    letter_number = forms.CharField(label=_("introduction letter number"), max_length=100, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)

        # The active organizations of the member's own tree (one district): a bounded list.
        cast(forms.ModelChoiceField, self.fields["to_party_organization"]).queryset = (
            PartyOrganization.objects.filter(tree_id=member.party_organization.tree_id, status="active")
            .exclude(pk=member.party_organization_id)
            .order_by("lft")
        )

    def write(self):

        data = self.cleaned_data
        return transfer_send(
            member=self.member,
            to_party_organization=data.get("to_party_organization"),
            outside_unit=data.get("outside_unit", ""),
            sent_on=data["sent_on"],
            letter_number=data.get("letter_number", ""),
            reason=data.get("reason", ""),
            actor=self.actor,
        )


class TransferReceiveForm(forms.Form):
    received_on = BoundedDateField(label=_("received on"), widget=DateInput())


class MemberUploadForm(forms.Form):
    """The import upload: an .xlsx within MEMBER_IMPORT_MAX_BYTES (the import runs in the request)."""

    file = forms.FileField(
        label=_("Members workbook (.xlsx)"),
        help_text=_("Start from the template; the first sheet is read."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MEMBER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not (upload.name or "").lower().endswith(".xlsx") or upload.read(4) != b"PK\x03\x04":
            raise forms.ValidationError(_("Upload an .xlsx workbook (Excel 2007 or later)."))
        upload.seek(0)
        return upload


class NoEchoTextInput(forms.TextInput):
    """A text input that never renders a submitted value back into the page."""

    def format_value(self, value):
        return None


class FindForm(forms.Form):
    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=24,
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        label=_("reveal"), choices=(("id_number", _("resident ID number")), ("phone", _("phone")))
    )
    reason = forms.CharField(
        label=_("reason"), max_length=200, help_text=_("Kept in the reveal log with your name and the time.")
    )
