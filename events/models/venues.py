"""Party-and-mass service centers (党群服务中心) at city, street and community level, rooms and bookings."""

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from config.date_bounds import date_in_range
from events.constraints import PostgresExclusionConstraint, TsTzRange
from events.querysets import BookingQuerySet, RoomQuerySet, ServiceCenterQuerySet

# Bookings that hold their slot: a pending request already keeps others out until it is decided.
HOLDING_STATUSES = ("pending", "approved")


class ServiceCenter(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City (district) level")
        STREET = "street", _("Street/town level")
        COMMUNITY = "community", _("Community/village level")

    # The Region level each center level sits on (a county-level city is the district tier here).
    REGION_KIND: dict[str, str] = {
        Level.CITY: "district",
        Level.STREET: "street",
        Level.COMMUNITY: "community",
    }

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="service_centers"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    objects = ServiceCenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["level", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="events_center_unique_name",
                violation_error_message=_("This region already has a center of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service center"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    facilities = models.CharField(
        _("facilities"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, e.g. projector, sound."),
    )
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    open_weekdays = models.CharField(
        _("open on weekdays"),
        max_length=7,
        default="12345",
        help_text=_("Digits 1 (Monday) to 7 (Sunday), e.g. 123456."),
    )
    is_active = models.BooleanField(_("bookable"), default=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["center_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="events_room_hours_ordered",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="events_room_capacity_positive",
                violation_error_message=_("A room holds at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center.name} · {self.name}"

    @property
    def facility_list(self) -> list[str]:
        return [f.strip() for f in self.facilities.replace("，", ",").split(",") if f.strip()]

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(c) for c in self.open_weekdays if c in "1234567"})


class Booking(models.Model):
    """A request for a room; pending and approved bookings of one room never overlap.

    PostgreSQL enforces it with an exclusion constraint over (room, [starts_at, ends_at));
    events.services.bookings checks the same under a row lock on the room (every engine).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"), validators=[date_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[date_in_range])
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("expected attendees"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
    )
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("for party organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="room_bookings",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("for organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="room_bookings",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, validators=[date_in_range])
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="events_booking_room_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="events_booking_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="events_booking_attendees_positive",
                violation_error_message=_("At least one attendee."),
            ),
            PostgresExclusionConstraint(
                name="events_booking_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("room", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=HOLDING_STATUSES),
                violation_error_message=_("The room is already booked at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def on_behalf_of(self) -> str:
        if self.party_organization is not None:  # no query when the id is empty
            return self.party_organization.name
        if self.organization is not None:
            return self.organization.name
        return str(self.requested_by or "")

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDING_STATUSES
