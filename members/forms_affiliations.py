"""Forms of the temporary and flowing periods (members.services.affiliations does the checks)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from members.forms import DateInput
from members.models import AffiliationRecord


class AffiliationStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AffiliationRecord.Kind.choices)
    starts_on = forms.DateField(label=_("from"), widget=DateInput)
    ends_on = forms.DateField(label=_("until"), required=False, widget=DateInput)
    formal_party_organization = forms.ModelChoiceField(
        label=_("formal relation with (in the system)"),
        queryset=PartyOrganization.objects.none(),
        required=False,
        help_text=_(
            "Temporary member: the party organization holding the formal relation, if in the system."
        ),
    )
    formal_outside_body = forms.CharField(
        label=_("formal relation with (outside body)"),
        max_length=200,
        required=False,
        help_text=_("Temporary member: the body outside the system holding the formal relation."),
    )
    holding_party_organization = forms.ModelChoiceField(
        label=_("temporary branch holding the member"),
        queryset=PartyOrganization.objects.none(),
        required=False,
    )
    location = forms.CharField(label=_("where the member is"), max_length=200, required=False)
    contact_party_organization = forms.ModelChoiceField(
        label=_("party organization keeping contact"),
        queryset=PartyOrganization.objects.none(),
        required=False,
    )
    last_contact_on = forms.DateField(label=_("last contact on"), required=False, widget=DateInput)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = PartyOrganization.objects.visible_to(user).filter(status="active").order_by("lft", "pk")
        cast(forms.ModelChoiceField, self.fields["formal_party_organization"]).queryset = visible
        cast(forms.ModelChoiceField, self.fields["contact_party_organization"]).queryset = visible
        cast(forms.ModelChoiceField, self.fields["holding_party_organization"]).queryset = visible.filter(
            kind=PartyOrganization.Kind.TEMPORARY_BRANCH
        )


class ContactForm(forms.Form):
    on = forms.DateField(label=_("contact on"), widget=DateInput)


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("until"), widget=DateInput)
