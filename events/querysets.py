"""Scoped querysets of events/: one `visible_to(user)` per model (accounts.scoping).

Staff see what lies in their Region subtree (an event by its organizer's region — an alliance's
by its lead organization's region —, a booking by its center's region); a secretary their party
organization's subtree and the events of alliances it steers; an org contact their organization's
events, those of alliances it leads, and bookings; the public only public events and the open venues.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery

from accounts.actors import is_unrestricted
from accounts.scoping import ScopedQuerySet
from config.indexed_in import indexed_in_q
from orgs.querysets import in_region_q


def po_tree_q(user, prefix: str) -> Q:
    """Rows whose party organization (at `prefix`) is the secretary's own node or below it."""
    PartyOrganization = apps.get_model("branches", "PartyOrganization")

    if not user.party_organization_id:
        return Q(pk__in=[])
    own = PartyOrganization.objects.filter(pk=user.party_organization_id)
    return Q(
        **{
            f"{prefix}tree_id": Subquery(own.values("tree_id")[:1]),
            f"{prefix}lft__gte": Subquery(own.values("lft")[:1]),
            f"{prefix}rght__lte": Subquery(own.values("rght")[:1]),
        }
    )


def organizer_in_region_q(region, prefix: str = "") -> Q:
    """Events (at `prefix`) organized by a party organization, an organization or an alliance (by its
    lead organization) of `region`'s subtree: each organizer column against the ids of the subtree's
    organizers (config.indexed_in), so the OR walks the three columns' indexes."""
    PartyOrganization = apps.get_model("branches", "PartyOrganization")
    Organization = apps.get_model("orgs", "Organization")
    Alliance = apps.get_model("alliances", "Alliance")

    return (
        indexed_in_q(
            f"{prefix}party_organization",
            PartyOrganization.objects.filter(in_region_q(region, "region__")).values("pk"),
        )
        | indexed_in_q(
            f"{prefix}organization", Organization.objects.filter(in_region_q(region, "region__")).values("pk")
        )
        | indexed_in_q(
            f"{prefix}alliance",
            Alliance.objects.filter(in_region_q(region, "lead_organization__region__")).values("pk"),
        )
    )


def secretary_events_q(user, prefix: str = "") -> Q:
    """Events (at `prefix`) of the secretary's party subtree, or of alliances a node of it steers."""
    return po_tree_q(user, f"{prefix}party_organization__") | po_tree_q(
        user, f"{prefix}alliance__party_organization__"
    )


def org_contact_events_q(user, prefix: str = "") -> Q:
    """Events (at `prefix`) of the contact's organization, or of alliances it leads."""
    return Q(**{f"{prefix}organization_id": user.organization_id}) | Q(
        **{f"{prefix}alliance__lead_organization_id": user.organization_id}
    )


def alliances_organizable_by(user):
    """Alliances the user may organize events for: staff, those in scope; a secretary, those its party
    subtree steers; an org contact, those its organization leads (the same rows the event scoping shows)."""
    Alliance = apps.get_model("alliances", "Alliance")

    alliances = Alliance.objects.active()
    if is_unrestricted(user) or getattr(user, "is_platform_staff", False):
        return alliances.visible_to(user)
    if user.role == "secretary" and user.party_organization_id:
        return alliances.filter(po_tree_q(user, "party_organization__"))
    if user.role == "org_contact" and user.organization_id:
        return alliances.filter(lead_organization_id=user.organization_id)
    return alliances.none()


class PartyGroupQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(po_tree_q(user, "party_organization__"))


class EventQuerySet(ScopedQuerySet):
    def public(self):
        return self.filter(is_public=True).exclude(status="cancelled")

    def held(self):
        return self.filter(status="held")

    def between(self, start, end):
        """Events starting in [start, end)."""
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def for_public(self):
        return self.public()

    def for_staff(self, region):
        return self.filter(organizer_in_region_q(region))

    def for_secretary(self, user):
        return self.filter(secretary_events_q(user))

    def for_org_contact(self, user):
        return self.filter(org_contact_events_q(user)) if user.organization_id else self.none()

    def visible_arms(self, user) -> list:
        """Querysets whose UNION is `visible_to(user)`, one per side of the scope's OR, each able to
        walk its own index (config.paginator.KeysetPaginator); a scope without an OR is one arm."""
        role = getattr(user, "role", None)
        plain = user is None or not user.is_authenticated or not user.is_active or user.is_superuser
        if not plain and role == "secretary" and user.party_organization_id:
            return [
                self.filter(po_tree_q(user, "party_organization__")),
                self.filter(po_tree_q(user, "alliance__party_organization__")),
            ]
        if not plain and role == "org_contact" and user.organization_id:
            return [
                self.filter(organization_id=user.organization_id),
                self.filter(alliance__lead_organization_id=user.organization_id),
            ]
        # Staff: one arm (for_staff's OR is already answered from the organizer columns' indexes).
        return [self.visible_to(user)]


class AttendanceQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(organizer_in_region_q(region, "event__"))

    def for_secretary(self, user):
        return self.filter(secretary_events_q(user, "event__"))

    def for_org_contact(self, user):
        if not user.organization_id:
            return self.none()
        return self.filter(org_contact_events_q(user, "event__"))


class SignUpQuerySet(ScopedQuerySet):
    """The organizer's list: seen by whoever sees the event in the portal; never by the public."""

    def live(self):
        return self.exclude(status="cancelled")

    def for_staff(self, region):
        return self.filter(organizer_in_region_q(region, "event__"))

    def for_secretary(self, user):
        return self.filter(secretary_events_q(user, "event__"))

    def for_org_contact(self, user):
        if not user.organization_id:
            return self.none()
        return self.filter(org_contact_events_q(user, "event__"))


class EventPhotoQuerySet(ScopedQuerySet):
    def for_public(self):
        return self.filter(event__is_public=True).exclude(event__status="cancelled")

    def for_staff(self, region):
        return self.filter(organizer_in_region_q(region, "event__"))

    def for_secretary(self, user):
        return self.filter(secretary_events_q(user, "event__"))

    def for_org_contact(self, user):
        if not user.organization_id:
            return self.none()
        return self.filter(org_contact_events_q(user, "event__"))


class VolunteerQuerySet(ScopedQuerySet):
    """Staff: volunteers living in their subtree. A secretary: volunteers who are members of their
    party organizations or on the list of one of their events; an org contact: on their events' lists."""

    def active(self):
        return self.filter(is_active=True)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "region__"))

    def for_secretary(self, user):
        Attendance = apps.get_model("events", "Attendance")

        on_list = Attendance.objects.filter(volunteer=OuterRef("pk")).filter(
            secretary_events_q(user, "event__")
        )
        return self.filter(po_tree_q(user, "member__party_organization__") | Q(Exists(on_list)))

    def for_org_contact(self, user):
        Attendance = apps.get_model("events", "Attendance")

        if not user.organization_id:
            return self.none()
        on_list = Attendance.objects.filter(org_contact_events_q(user, "event__"), volunteer=OuterRef("pk"))
        return self.filter(Exists(on_list))


class PointEntryQuerySet(ScopedQuerySet):
    """Append-only: bulk updates and deletes are refused (corrections are new entries)."""

    def update(self, **kwargs):
        raise ValidationError("The points ledger is append-only.")

    def delete(self):
        raise ValidationError("The points ledger is append-only.")

    def credits(self):
        return self.filter(kind="credit")

    def for_staff(self, region):
        return self.filter(in_region_q(region, "volunteer__region__"))

    def for_secretary(self, user):
        Volunteer = apps.get_model("events", "Volunteer")

        return self.filter(volunteer__in=Volunteer.objects.for_secretary(user).values("pk"))

    def for_org_contact(self, user):
        Volunteer = apps.get_model("events", "Volunteer")

        return self.filter(volunteer__in=Volunteer.objects.for_org_contact(user).values("pk"))


class CharitySupermarketQuerySet(ScopedQuerySet):
    def for_public(self):
        return self.filter(is_active=True)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "region__"))

    def for_secretary(self, user):
        return self.for_public()

    def for_org_contact(self, user):
        return self.for_public()


class CharityItemQuerySet(ScopedQuerySet):
    def for_public(self):
        return self.filter(is_active=True, supermarket__is_active=True)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "supermarket__region__"))

    def for_secretary(self, user):
        return self.for_public()

    def for_org_contact(self, user):
        return self.for_public()


class _PublicVenueQuerySet(ScopedQuerySet):
    """Venues are public: everyone but staff sees the usable ones; staff manage those in their subtree."""

    region_path = ""  # path to the venue's Region, e.g. "region__"

    def usable(self):
        raise NotImplementedError

    def for_public(self):
        return self.usable()

    def for_staff(self, region):
        return self.filter(in_region_q(region, self.region_path))

    def for_secretary(self, user):
        return self.usable()

    def for_org_contact(self, user):
        return self.usable()


class ServiceCenterQuerySet(_PublicVenueQuerySet):
    region_path = "region__"

    def open(self):
        return self.filter(is_active=True)

    def usable(self):
        return self.open()


class RoomQuerySet(_PublicVenueQuerySet):
    region_path = "center__region__"

    def bookable(self):
        return self.filter(is_active=True, center__is_active=True)

    def usable(self):
        return self.bookable()


class BookingQuerySet(ScopedQuerySet):
    def holding(self):
        return self.filter(status__in=("pending", "approved"))

    def overlapping(self, room, starts_at, ends_at):
        return self.holding().filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)

    def for_staff(self, region):
        return self.filter(in_region_q(region, "room__center__region__"))

    def for_secretary(self, user):
        return self.filter(po_tree_q(user, "party_organization__") | Q(requested_by=user))

    def for_org_contact(self, user):
        mine = Q(requested_by=user)
        if user.organization_id:
            mine |= Q(organization_id=user.organization_id)
        return self.filter(mine)


class AppraisalQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(po_tree_q(user, "party_organization__"))


class AppraisalResultQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "appraisal__party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(po_tree_q(user, "appraisal__party_organization__"))


class PartyClassQuerySet(ScopedQuerySet):
    def for_staff(self, region):
        return self.filter(in_region_q(region, "party_organization__region__"))

    def for_secretary(self, user):
        return self.filter(po_tree_q(user, "party_organization__"))
