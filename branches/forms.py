"""Forms of the branches app: admin forms that check through the services, and the portal's post forms.

A service is the only judge of a write (config.service_forms: the form calls it once, while it
validates, and each refusal appears next to its field).
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteePost, PartyOrganization
from config.date_bounds import BoundedDateField
from members.models import Member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CommitteePostForm(forms.Form):
    """Portal: record that one of the organization's own full members holds a post."""

    member: "forms.ModelChoiceField[Member]" = forms.ModelChoiceField(label=_("member"), queryset=None)
    post = forms.ChoiceField(label=_("post"), choices=CommitteePost.Post.choices)
    since = BoundedDateField(label=_("since"), widget=DateInput())
    until = BoundedDateField(
        label=_("until"),
        required=False,
        widget=DateInput(),
        help_text=_("For a post held in the past; empty while the member still holds it."),
    )

    def __init__(self, *args, party_organization: PartyOrganization, **kwargs):
        super().__init__(*args, **kwargs)

        # A branch's own active full members: a bounded list (a branch generally has ≤ 50).
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = Member.objects.filter(
            party_organization=party_organization,
            status=Member.Status.ACTIVE,
            stage=Member.Stage.FULL,
        ).order_by("name", "pk")
        self.fields["member"].error_messages["invalid_choice"] = _(
            "Choose an active full member of this party organization."
        )


class PostEndForm(forms.Form):
    until = BoundedDateField(label=_("until"), widget=DateInput())


class DissolveForm(forms.Form):
    """Admin action: dissolve the selected party organizations on one date."""

    on = BoundedDateField(label=_("dissolved on"), widget=DateInput())
    end_links = forms.BooleanField(
        label=_("End their coverage links on that date"),
        required=False,
        help_text=_("Without this, a party organization that still covers organizations is not dissolved."),
    )
    document = forms.CharField(label=_("document"), max_length=100, required=False)
