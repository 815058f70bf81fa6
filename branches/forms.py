"""Forms of the branches app: admin forms that check through the services, and the portal's post forms.

A service is the only judge of a write. Admin forms therefore run the service
in `clean()` inside a transaction that is always rolled back (a dry run), so
every refusal appears next to its field; `save_model` then runs it for real.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from branches.models import CommitteePost, PartyOrganization
from config.date_bounds import BoundedDateField
from members.models import Member


class _DryRun(Exception):
    """Raised to roll back a service call made only to validate a form."""


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: on the field it names, or to the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


def dry_run(form: forms.BaseForm, write) -> None:
    """Run `write()` and roll it back; its refusals become the form's errors."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as exc:
        add_service_errors(form, exc)


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose `write()` calls a service; `clean()` dry-runs it. `actor` is set per request."""

    actor = None

    def write(self):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(self, self.write)
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CommitteePostForm(forms.Form):
    """Portal: record that one of the organization's own full members holds a post."""

    member = forms.ModelChoiceField(label=_("member"), queryset=None)
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
        self.fields["member"].queryset = Member.objects.filter(
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
