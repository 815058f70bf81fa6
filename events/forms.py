"""Forms of events/: portal forms whose data goes to a service (the service is the judge of a write)."""

from datetime import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import PartyOrganization
from config.date_bounds import BoundedDateField, BoundedDateTimeField
from events.models import Booking, CharityItem, Event, PartyGroup
from events.querysets import alliances_organizable_by
from events.selectors import volunteer_communities
from members.phones import clean_phone
from orgs.querysets import in_region_q

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_DATETIME)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _dt_field(label, required=True):
    return BoundedDateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
    )


class EventForm(forms.Form):
    """Portal: a party organization's meeting or activity (organizer chosen among the user's own)."""

    party_organization: "forms.ModelChoiceField[PartyOrganization]" = forms.ModelChoiceField(
        label=_("organizer"), queryset=None, required=False
    )
    alliance: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("organizing alliance"),
        queryset=None,
        required=False,
        help_text=_("Choose an alliance to organize the activity in its name (not for party meetings)."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("topic"), max_length=200)
    starts_at = _dt_field(_("starts at"))
    ends_at = _dt_field(_("ends at"))
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    booking: "forms.ModelChoiceField[Booking]" = forms.ModelChoiceField(
        label=_("booked room"), queryset=None, required=False
    )
    party_group: "forms.ModelChoiceField[PartyGroup]" = forms.ModelChoiceField(
        label=_("Party group"), queryset=None, required=False
    )
    is_public = forms.BooleanField(label=_("Show on the public calendar"), required=False)
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, required=False)
    registration_opens_at = _dt_field(_("registration opens at"), required=False)
    registration_closes_at = _dt_field(_("registration closes at"), required=False)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)

        self.user, self.event = user, event
        pos = PartyOrganization.objects.visible_to(user).active().order_by("tree_id", "lft")
        cast(forms.ModelChoiceField, self.fields["party_organization"]).queryset = pos
        self.fields["party_organization"].required = user.role == "secretary"
        if user.role == "secretary" and user.party_organization_id:
            self.fields["party_organization"].initial = user.party_organization_id
        if user.role != "secretary" or event is not None:
            del self.fields["party_organization"]

        alliances = alliances_organizable_by(user).order_by("name")
        if event is None and alliances.exists():
            cast(forms.ModelChoiceField, self.fields["alliance"]).queryset = alliances
            if "party_organization" in self.fields:
                self.fields["party_organization"].required = False
        else:
            del self.fields["alliance"]
        # Approved bookings still to come, and on an edit the event's own booking even when past: a
        # choice left out of the list would post back empty and silently drop the booked room.
        upcoming = Q(status=Booking.Status.APPROVED, ends_at__gte=timezone.now())
        if event is not None and event.booking_id is not None:
            upcoming |= Q(pk=event.booking_id)
        cast(forms.ModelChoiceField, self.fields["booking"]).queryset = (
            Booking.objects.visible_to(user)
            .filter(upcoming)
            .select_related("room__center")
            .order_by("starts_at")
        )
        cast(forms.ModelChoiceField, self.fields["booking"]).label_from_instance = lambda b: (  # type: ignore[method-assign,assignment]  # per instance
            f"{b.room} {timezone.localtime(b.starts_at):%Y-%m-%d %H:%M}–{timezone.localtime(b.ends_at):%H:%M}"
        )
        cast(forms.ModelChoiceField, self.fields["party_group"]).queryset = PartyGroup.objects.visible_to(
            user
        ).order_by("name")
        if event is not None:
            del self.fields["kind"]
        if event is not None and event.hours_confirmed_at is not None:
            # The volunteer hours were counted on these times: shown, not editable. A disabled field
            # keeps its initial value (what the page shows), whatever a request posts.
            for name in ("starts_at", "ends_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("The volunteer hours are confirmed; the time cannot change.")

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if "alliance" in self.fields and "party_organization" in self.fields:
            if data.get("alliance") and data.get("party_organization"):
                self.add_error(
                    "alliance", _("Choose either a party organization or an alliance as organizer, not both.")
                )
            elif not data.get("alliance") and not data.get("party_organization"):
                self.add_error("party_organization", _("Choose the organizer."))
        return data

    def organizer(self) -> dict:
        if self.cleaned_data.get("alliance"):
            return {"alliance": self.cleaned_data["alliance"]}
        if self.user.role == "org_contact":
            return {"organization": self.user.organization}
        return {"party_organization": self.cleaned_data.get("party_organization")}

    def service_fields(self) -> dict:
        """What the service writes: every field shown, less the organizer and kind (written on creation
        only) and the disabled ones (shown read-only, so nothing to change)."""
        skipped = {"party_organization", "alliance", "kind"} | {
            n for n, f in self.fields.items() if f.disabled
        }
        return {k: v for k, v in self.cleaned_data.items() if k not in skipped}

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        names = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "booking",
            "party_group",
            "is_public",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "description",
        ]
        initial = {name: getattr(event, name) for name in names}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            if initial[name]:
                initial[name] = timezone.localtime(initial[name])
        return initial


class HeldForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    resolutions = forms.CharField(
        label=_("resolutions"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PhotoForm(forms.Form):
    # A plain FileField: the content check is orgs.images' (the service), not the browser's claim.
    image = forms.FileField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class BlankAfterPost(forms.TextInput):
    """Never echo the entered number back: sign-in often runs on a shared tablet at the door."""

    def format_value(self, value):
        return None


class SignInForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        widget=BlankAfterPost(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Your sign-in code"),
        max_length=12,
        help_text=_("The six digits the organizer gave you with the list."),
        widget=BlankAfterPost(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class VolunteerAddForm(forms.Form):
    """Add a volunteer to an activity: found by exact phone number, or registered with name and community."""

    phone = forms.CharField(label=_("phone"), max_length=20)
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    region: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=_("community of residence"), queryset=None, required=False
    )

    def __init__(self, *args, actor, district=None, **kwargs):
        super().__init__(*args, **kwargs)

        communities = volunteer_communities(actor)
        if district is not None:  # the event's district: a bounded list
            communities = communities.filter(in_region_q(district))
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = communities.order_by("code")


HM = "%H:%M"


class BookingForm(forms.Form):
    day = BoundedDateField(label=_("date"), widget=DateInput())
    # "starts at"/"ends at", not "from"/"until" (whose "until" reads as a deadline, 截止日期).
    start = forms.TimeField(
        label=_("starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(label=_("ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(label=_("purpose"), max_length=200)
    attendees = forms.IntegerField(label=_("expected attendees"), min_value=1)

    def times(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["start"], tzinfo=tz),
            datetime.combine(day, self.cleaned_data["end"], tzinfo=tz),
        )

    aliases = {"starts_at": "start", "ends_at": "end"}  # the service's keys → this form's fields


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class RedeemForm(forms.Form):
    item: "forms.ModelChoiceField[CharityItem]" = forms.ModelChoiceField(label=_("item"), queryset=None)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = (
            CharityItem.objects.visible_to(user)
            .filter(is_active=True, supermarket__is_active=True)
            .select_related("supermarket")
            .order_by("supermarket__name", "name")
        )
        cast(forms.ModelChoiceField, self.fields["item"]).label_from_instance = lambda i: (  # type: ignore[method-assign,assignment]  # per instance
            _("%(shop)s · %(item)s (%(points)d points, %(stock)d left)")
            % {
                "shop": i.supermarket.name,
                "item": i.name,
                "points": i.points,
                "stock": i.stock,
            }
        )


class CorrectionForm(forms.Form):
    points = forms.IntegerField(label=_("points (+/−)"), initial=0)
    hours = forms.DecimalField(label=_("hours (+/−)"), max_digits=6, decimal_places=1, initial=0)
    note = forms.CharField(label=_("reason"), max_length=200)


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("from"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("until (exclusive)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data


class SignUpForm(forms.Form):
    """Public sign-up: a name and a phone number (both only for the organizer)."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        widget=BlankAfterPost(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
