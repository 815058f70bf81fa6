"""Portal and directory forms. They only parse input; the services validate the rules and write.

Labels come from the model's verbose names, so the form, the error summary and the
admin name a field the same way.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from orgs.models import AnnualInspection, GradeAward, Organization
from orgs.services.profiles import DESCRIPTION_MAX_CHARS, clean_contact_phone


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class OrganizationProfileForm(forms.Form):
    """The fields an org contact keeps (orgs.services.profiles.PROFILE_FIELDS)."""

    short_name = forms.CharField(label=_label(Organization, "short_name"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_label(Organization, "contact_phone"),
        max_length=30,
        required=False,
        help_text=_("Seen by district staff only; never shown in the public directory."),
    )
    address = forms.CharField(label=_label(Organization, "address"), max_length=200, required=False)
    website = forms.URLField(
        label=_label(Organization, "website"), max_length=200, required=False, assume_scheme="https"
    )
    staff_count = forms.IntegerField(label=_label(Organization, "staff_count"), min_value=0)
    description = forms.CharField(
        label=_label(Organization, "description"),
        max_length=DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    logo = forms.FileField(
        label=_label(Organization, "logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        # format_lazy: formatted when shown, in the reader's language (a % here would freeze the
        # language active at import time).
        help_text=format_lazy(
            _("JPEG, PNG or WebP, at most {mb} MB; shown at most {px} pixels wide."),
            mb=settings.UPLOAD_IMAGE_MAX_BYTES // (1024 * 1024),
            px=settings.ORG_LOGO_MAX_SIDE,
        ),
    )

    def clean_contact_phone(self):
        try:
            return clean_contact_phone(self.cleaned_data["contact_phone"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["contact_phone"]) from None

    @classmethod
    def initial_for(cls, organization: Organization) -> dict:
        return {name: getattr(organization, name) for name in cls.base_fields}

    def changed_values(self) -> dict:
        """Only what the user changed, so an untouched logo is not re-processed."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PartySectionForm(forms.Form):
    """The party-building section of an annual inspection."""

    has_party_organization = forms.TypedChoiceField(
        label=_label(AnnualInspection, "has_party_organization"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    no_party_organization_reason = forms.CharField(
        label=_label(AnnualInspection, "no_party_organization_reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when there is no party organization."),
    )
    full_members_employed = forms.IntegerField(
        label=_label(AnnualInspection, "full_members_employed"), min_value=0
    )
    party_activities_held = forms.IntegerField(
        label=_label(AnnualInspection, "party_activities_held"), min_value=0
    )
    party_activities_summary = forms.CharField(
        label=_label(AnnualInspection, "party_activities_summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    instructor_name = forms.CharField(
        label=_label(AnnualInspection, "instructor_name"), max_length=50, required=False
    )

    @classmethod
    def initial_for(cls, inspection: AnnualInspection | None) -> dict:
        if inspection is None or inspection.has_party_organization is None:
            return {}
        initial = {name: getattr(inspection, name) for name in cls.base_fields}
        initial["has_party_organization"] = "yes" if inspection.has_party_organization else "no"
        return initial

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if (
            cleaned.get("has_party_organization") is False
            and not (cleaned.get("no_party_organization_reason") or "").strip()
        ):
            self.add_error(
                "no_party_organization_reason",
                _("Without a party organization, give the reason."),
            )
        return cleaned


class DirectoryFilterForm(forms.Form):
    """Search and filters of the public directory; a bad value is dropped, never an error page.

    `filters()` speaks the keys of orgs.filters.OrganizationFilter (the admin's and the API's).
    """

    q = forms.CharField(label=_("Search by name"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=_label(Organization, "kind"),
        choices=[("", _("All kinds")), *Organization.Kind.choices],
        required=False,
    )
    # A search with suggestions, not a dropdown: a province has thousands of streets and towns.
    street = forms.CharField(
        label=_("Street/town"),
        max_length=50,
        required=False,
        help_text=_("Part of the name, or the division code"),
    )
    grade = forms.ChoiceField(
        label=_("Evaluation grade"),
        choices=[("", _("Any grade")), *((str(v), label) for v, label in GradeAward.Grade.choices)],
        required=False,
    )

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        keys = {"q": "search", "kind": "kind", "street": "street", "grade": "grade"}
        return {
            keys[name]: value.strip() if name in ("q", "street") else value for name, value in data.items()
        }
