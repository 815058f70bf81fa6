"""Events: meetings (三会一课, theme days, life meetings), trainings, volunteering; attendance and photos."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceDisplayMixin
from config.date_bounds import date_in_range
from events.querysets import AttendanceQuerySet, EventPhotoQuerySet, EventQuerySet, PartyGroupQuerySet

# Kinds only a party organization holds (the others may also be organized by a social organization).
PARTY_KINDS = (
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "theme_day",
    "life_meeting",
    "democratic_appraisal",
)


def new_signin_nonce() -> str:
    return secrets.token_hex(8)


class PartyGroup(models.Model):
    """A Party group (党小组) inside a branch; a branch with groups owes monthly group meetings."""

    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization"),
        on_delete=models.CASCADE,
        related_name="party_groups",
    )
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartyGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("Party group")
        verbose_name_plural = _("Party groups")
        ordering = ["party_organization_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_organization", "name"],
                name="events_party_group_unique_name",
                violation_error_message=_("This party organization already has a group of that name."),
            )
        ]

    def __str__(self):
        return f"{self.party_organization} · {self.name}"


class Event(ChoiceDisplayMixin, models.Model):
    """One meeting or activity. Organized by exactly one party organization, social organization or
    alliance; party meetings (PARTY_KINDS) only by a party organization.
    """

    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("Branch general meeting")
        COMMITTEE_MEETING = "committee_meeting", _("Committee meeting")
        GROUP_MEETING = "group_meeting", _("Party group meeting")
        PARTY_LECTURE = "party_lecture", _("Party lecture")
        THEME_DAY = "theme_day", _("Theme Party day")
        LIFE_MEETING = "life_meeting", _("Organizational life meeting")
        DEMOCRATIC_APPRAISAL = "democratic_appraisal", _("Democratic appraisal of members")
        TRAINING = "training", _("Training course")
        VOLUNTEER_SERVICE = "volunteer_service", _("Volunteer service")
        PUBLIC_WELFARE = "public_welfare", _("Public welfare activity")
        EXCHANGE = "exchange", _("Exchange")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("organizing party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organizing social organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("organizing alliance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    party_group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("Party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[date_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[date_in_range])
    place = models.CharField(_("place"), max_length=200, blank=True)
    booking = models.ForeignKey(
        "events.Booking",
        verbose_name=_("booked room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public calendar."))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(
        _("registration opens at"), null=True, blank=True, validators=[date_in_range]
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True, validators=[date_in_range]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    held_recorded_at = models.DateTimeField(
        _("recorded as held at"), null=True, blank=True, validators=[date_in_range]
    )
    hours_confirmed_at = models.DateTimeField(
        _("volunteer hours confirmed at"), null=True, blank=True, validators=[date_in_range]
    )
    hours_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer hours confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signin_nonce = models.CharField(max_length=32, default=new_signin_nonce, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["party_organization", "kind", "starts_at"], name="events_event_po_kind_idx"),
            # The default order (admin, API, staff lists): newest first without sorting the table.
            models.Index(fields=["-starts_at", "-id"], name="events_event_start_idx"),
            # A party organization's events newest first, keys only (the portal list's UNION arm).
            models.Index(
                fields=["party_organization", "-starts_at", "-id"], name="events_event_po_start_idx"
            ),
            models.Index(fields=["organization", "starts_at"], name="events_event_org_start_idx"),
            models.Index(fields=["alliance", "starts_at"], name="events_event_all_start_idx"),
            models.Index(fields=["is_public", "starts_at"], name="events_event_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    party_organization__isnull=False, organization__isnull=True, alliance__isnull=True
                )
                | Q(party_organization__isnull=True, organization__isnull=False, alliance__isnull=True)
                | Q(party_organization__isnull=True, organization__isnull=True, alliance__isnull=False),
                name="events_event_one_organizer",
                violation_error_message=_(
                    "An event has exactly one organizer: a party organization, a social organization "
                    "or an alliance."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="events_event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PARTY_KINDS) | Q(party_organization__isnull=False),
                name="events_event_meeting_by_party_org",
                violation_error_message=_("Party meetings are organized by a party organization."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_event_capacity_positive",
                violation_error_message=_("The capacity is at least 1 (leave it empty for no limit)."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="events_event_registration_window",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def organizer(self):
        return self.party_organization or self.organization or self.alliance

    @property
    def organizer_name(self) -> str:
        organizer = self.organizer
        return organizer.name if organizer is not None else ""

    @property
    def is_party_meeting(self) -> bool:
        return self.kind in PARTY_KINDS

    @property
    def place_label(self) -> str:
        if self.place:
            return self.place
        if self.booking is not None:  # no query when booking_id is empty
            return str(self.booking.room)
        return ""


class Attendance(models.Model):
    """One person expected at (and possibly present at) an event: a member or a volunteer."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("Marked by the organizer")
        QR = "qr", _("QR code sign-in")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    volunteer = models.ForeignKey(
        "events.Volunteer",
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    expected = models.BooleanField(_("expected"), default=True)
    voting = models.BooleanField(
        _("has a vote"), default=False, help_text=_("A full member in good standing when the list was drawn.")
    )
    came = models.BooleanField(_("came"), default=False)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True, validators=[date_in_range])
    method = models.CharField(_("sign-in method"), max_length=20, choices=Method.choices, blank=True)
    hours = models.DecimalField(_("volunteer hours"), max_digits=4, decimal_places=1, null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()
    signin_code: str  # set on the organizer's list (events.selectors): each person's sign-in code

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, volunteer__isnull=True)
                | Q(member__isnull=True, volunteer__isnull=False),
                name="events_attendance_one_person",
            ),
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(member__isnull=False),
                name="events_attendance_unique_member",
                violation_error_message=_("This member is already on the list."),
            ),
            models.UniqueConstraint(
                fields=["event", "volunteer"],
                condition=Q(volunteer__isnull=False),
                name="events_attendance_unique_volunteer",
                violation_error_message=_("This volunteer is already on the list."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="events_attendance_hours_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.member or self.volunteer}"

    @property
    def person(self):
        return self.member or self.volunteer


class EventPhoto(models.Model):
    """A picture of an event, stored only as re-encoded copies (no EXIF), with a thumbnail."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="events/photos/%Y/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="events/thumbs/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EventPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["event_id", "id"]

    def __str__(self):
        return self.caption or f"{self.event} #{self.pk}"
