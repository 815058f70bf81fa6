"""Reads of events/ that cross models: quorum, an event's record page, lists, points reports."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate, TruncMonth
from django.utils import timezone

from accounts.actors import PUBLIC
from accounts.scoping import get_visible_or_404
from alliances.models import AllianceMembership
from events.compliance import compliance_party_organizations
from events.conf import events_setting
from events.models import Attendance, Booking, Event, PointEntry, Room, Volunteer
from events.qr import signin_code
from orgs.models import Region
from orgs.querysets import in_region_q


@dataclass(frozen=True)
class Quorum:
    voting: int  # members with a vote on the list
    present: int  # of them, how many came
    needed: int  # more than half: voting // 2 + 1

    @property
    def met(self) -> bool:
        return self.voting > 0 and self.present >= self.needed


def quorum_for(event: Event) -> Quorum | None:
    """More than half of the voting members present (full, active members when the list was drawn).

    None for kinds without a quorum rule (settings EVENTS["QUORUM_KINDS"]).
    """
    if event.kind not in events_setting("QUORUM_KINDS"):
        return None
    counts = event.attendances.filter(voting=True).aggregate(
        voting=Count("id"), present=Count("id", filter=Q(came=True))
    )
    return Quorum(voting=counts["voting"], present=counts["present"], needed=counts["voting"] // 2 + 1)


def event_page(event: Event) -> dict:
    """What an organizer's record page shows: the list, the quorum, photos, totals."""
    rows = list(
        event.attendances.select_related("member", "volunteer", "point_credit").order_by(
            "-voting", "member__name", "volunteer__name", "pk"
        )
    )
    for row in rows:  # the organizer hands each person their code with the list
        row.signin_code = signin_code(event, row.pk)
    return {
        "attendances": rows,
        "quorum": quorum_for(event),
        "expected": sum(1 for r in rows if r.expected),
        "came": sum(1 for r in rows if r.came),
        "photos": list(event.photos.order_by("pk")),
        "is_volunteer_event": event.kind in events_setting("VOLUNTEER_KINDS"),
    }


def event_with_organizer(user, pk) -> Event:
    """One event `user` may see (404 outside the scope), with its organizer, the organizer's region
    and the booked room loaded (what every portal page of an event shows)."""
    return get_visible_or_404(
        Event.objects.select_related(
            "party_organization__region",
            "organization__region",
            "alliance__lead_organization__region",
            "booking__room__center",
        ),
        user,
        pk=pk,
    )


def bookings_for_list(user):
    """The bookings `user` sees, newest first, with the room, center and requester loaded."""
    return (
        Booking.objects.visible_to(user)
        .select_related("room__center", "party_organization", "organization", "requested_by")
        .order_by("-starts_at", "-id")
    )


def _attendance_count(**flags):
    """How many of the event's (OuterRef) attendance rows have `flags`, as a correlated subquery."""
    rows = (
        Attendance.objects.filter(event=OuterRef("pk"), **flags)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def events_for_list(queryset, *, with_place: bool = True):
    """Events with their organizers and attendance counts. The counts are correlated subqueries, not
    a join and GROUP BY over every event of the list: under ORDER BY … LIMIT PostgreSQL evaluates
    them for the page's rows only, and a COUNT of the list drops them.

    `with_place`: the booked room and its center too (`place_label`); a list that shows no place
    leaves out their three joins (a third of the query's planning time)."""
    related = ["party_organization", "organization", "alliance"]
    if with_place:
        related.append("booking__room__center")
    return queryset.select_related(*related).annotate(
        expected_count=_attendance_count(expected=True), came_count=_attendance_count(came=True)
    )


def public_events_between(start: date, end: date, *, per_day: int | None = None):
    """Public events starting in [start, end) (local days), organizer names only: no attendance lists.

    `per_day`: at most this many per local day (the first by start), so a month of a province's
    events stays a page of bounded size (ask for one more than shown to know whether a day has more).
    """
    queryset = (
        _public_between(start, end)
        .select_related("party_organization", "organization", "alliance", "booking__room__center")
        .order_by("starts_at", "pk")
    )
    if per_day:
        local_day = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
        queryset = queryset.annotate(
            day_rank=Window(RowNumber(), partition_by=[local_day], order_by=[F("starts_at"), F("pk")])
        ).filter(day_rank__lte=per_day)
    return queryset


def _public_between(start: date, end: date):
    tz = timezone.get_current_timezone()
    return Event.objects.visible_to(PUBLIC).filter(
        starts_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        starts_at__lt=datetime.combine(end, time.min, tzinfo=tz),
    )


def upcoming_public_events(limit: int):
    """The next public events from the start of today, by start: the (is_public, starts_at) index
    walks forward from today and stops after `limit` rows (filtering on the end would walk every
    past event first)."""
    today = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    return (
        Event.objects.visible_to(PUBLIC)
        .filter(starts_at__gte=today)
        .select_related("party_organization", "organization", "alliance", "booking__room__center")
        .order_by("starts_at", "pk")[:limit]
    )


# --- Points reports ----------------------------------------------------------------------------------


def _in_period(queryset, start: date | None, end: date | None):
    tz = timezone.get_current_timezone()
    if start:
        queryset = queryset.filter(recorded_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        queryset = queryset.filter(recorded_at__lt=datetime.combine(end, time.min, tzinfo=tz))
    return queryset


def hours_by_volunteer(volunteers, start: date | None = None, end: date | None = None):
    """Per volunteer: hours and points credited, points redeemed and corrected in [start, end), balance now.

    One query (the volunteers annotated from their ledger). No phone and no ID number.
    """
    tz = timezone.get_current_timezone()
    period = Q()
    if start:
        period &= Q(point_entries__recorded_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        period &= Q(point_entries__recorded_at__lt=datetime.combine(end, time.min, tzinfo=tz))
    return (
        volunteers.select_related("region")
        .annotate(
            hours_total=Coalesce(
                Sum("point_entries__hours", filter=period),
                0,
                output_field=PointEntry._meta.get_field("hours"),
            ),
            credited=Coalesce(
                Sum("point_entries__points", filter=period & Q(point_entries__kind="credit")), 0
            ),
            redeemed=Coalesce(
                Sum("point_entries__points", filter=period & Q(point_entries__kind="redemption")), 0
            ),
            corrected=Coalesce(
                Sum("point_entries__points", filter=period & Q(point_entries__kind="correction")), 0
            ),
            activities=Count("point_entries", filter=period & Q(point_entries__kind="credit")),
        )
        .order_by("-hours_total", "name", "pk")
    )


def hours_by_organizer(entries, start: date | None = None, end: date | None = None) -> list[dict]:
    """Credited hours and points grouped by the organizing party organization, organization or alliance."""
    rows = (
        _in_period(entries.filter(kind=PointEntry.Kind.CREDIT), start, end)
        .values(
            "event__party_organization_id",
            "event__party_organization__name",
            "event__organization_id",
            "event__organization__name",
            "event__alliance_id",
            "event__alliance__name",
        )
        .annotate(
            hours=Sum("hours"),
            points=Sum("points"),
            volunteers=Count("volunteer", distinct=True),
            events=Count("event", distinct=True),
        )
        .order_by("-hours")
    )
    return [
        {
            "organizer": row["event__party_organization__name"]
            or row["event__organization__name"]
            or row["event__alliance__name"]
            or "—",
            "hours": row["hours"],
            "points": row["points"],
            "volunteers": row["volunteers"],
            "events": row["events"],
        }
        for row in rows
    ]


def alliance_credits(entries):
    """The credit entries among `entries` counted for the alliance at OuterRef("pk").

    The rule: a credit counts for an alliance when its event was organized by the alliance itself,
    or by an organization that was a member of the alliance on the event's (local) date —
    joined on or before that day and not yet left (`left_on` is the first day outside).
    An organization in two alliances counts for both; an alliance-organized event counts once.
    """
    member_then = AllianceMembership.objects.filter(
        alliance_id=OuterRef(OuterRef("pk")),
        organization_id=OuterRef("event__organization_id"),
        joined_on__lte=OuterRef("event_day"),
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=OuterRef("event_day")))
    return (
        entries.filter(kind=PointEntry.Kind.CREDIT, event__isnull=False)
        .annotate(event_day=TruncDate("event__starts_at", tzinfo=timezone.get_current_timezone()))
        .filter(Q(event__alliance_id=OuterRef("pk")) | Q(Exists(member_then)))
        .order_by()
    )


def _one_total(queryset, expression, output_field):
    """A scalar subquery: `expression` aggregated over all rows of `queryset` (one group)."""
    return Coalesce(
        Subquery(queryset.annotate(_g=Value(1)).values("_g").annotate(total=expression).values("total")[:1]),
        0,
        output_field=output_field,
    )


def hours_by_alliance(alliances, entries, start: date | None = None, end: date | None = None) -> list[dict]:
    """Credited hours and points per alliance in [start, end) (by the credit's date), by the rule of
    `alliance_credits`. One query whatever the number of alliances and entries; alliances with
    nothing credited are left out."""
    credits = alliance_credits(_in_period(entries, start, end))
    hours_field = PointEntry._meta.get_field("hours")
    rows = (
        alliances.annotate(
            hours_total=_one_total(credits, Sum("hours"), hours_field),
            points_total=_one_total(credits, Sum("points"), IntegerField()),
            volunteer_count=_one_total(credits, Count("volunteer_id", distinct=True), IntegerField()),
            event_count=_one_total(credits, Count("event_id", distinct=True), IntegerField()),
        )
        .filter(event_count__gt=0)
        .order_by("-hours_total", "name", "pk")
        .values("pk", "name", "hours_total", "points_total", "volunteer_count", "event_count")
    )
    return [
        {
            "alliance_id": row["pk"],
            "alliance": row["name"],
            "hours": row["hours_total"],
            "points": row["points_total"],
            "volunteers": row["volunteer_count"],
            "events": row["event_count"],
        }
        for row in rows
    ]


def hours_by_month(entries, year: int) -> list[dict]:
    rows = (
        entries.filter(recorded_at__year=year)
        .annotate(month=TruncMonth("recorded_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            hours=Sum("hours", filter=Q(kind="credit")),
            credited=Sum("points", filter=Q(kind="credit")),
            redeemed=Sum("points", filter=Q(kind="redemption")),
        )
        .order_by("month")
    )
    return list(rows)


def volunteer_ledger(volunteer: Volunteer):
    return volunteer.point_entries.select_related("event", "item", "recorded_by").order_by(
        "-recorded_at", "-pk"
    )


def volunteer_communities(actor):
    """Communities where `actor` may register a new volunteer: staff inside their subtree; a
    secretary or an org contact inside the district of their own party organization or organization
    (volunteers live near the events they serve); superusers anywhere; anyone else nowhere."""
    communities = Region.objects.filter(kind=Region.Kind.COMMUNITY, is_active=True)
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return communities.none()
    if actor.is_superuser:
        return communities
    home = None
    if getattr(actor, "is_platform_staff", False):
        home = actor.scope_region
    elif actor.role == "secretary" and actor.party_organization_id:
        home = actor.party_organization.region.get_root()
    elif actor.role == "org_contact" and actor.organization_id:
        home = actor.organization.region.get_root()
    if home is None:
        return communities.none()
    return communities.filter(in_region_q(home))


PUBLIC_EVENT_RELATED = ("party_organization", "organization", "alliance", "booking__room__center")


def public_event(pk) -> Event:
    """One public event (404 otherwise), with its organizer and the booked room's center."""
    return get_visible_or_404(Event.objects.select_related(*PUBLIC_EVENT_RELATED), PUBLIC, pk=pk)


def public_events_since(since: datetime):
    """Public events ending from `since` on, soonest first, with organizer and room (the calendar feed)."""
    return (
        Event.objects.visible_to(PUBLIC)
        .filter(ends_at__gte=since)
        .select_related(*PUBLIC_EVENT_RELATED)
        .order_by("starts_at", "pk")
    )


def rooms_for_list(user, *, level: str = ""):
    """The active rooms of active centers `user` may book (of one center `level` if given), with the
    center and its region."""
    rooms = Room.objects.visible_to(user).filter(is_active=True, center__is_active=True)
    if level:
        rooms = rooms.filter(center__level=level)
    return rooms.select_related("center__region").order_by("center__level", "center__name", "name", "pk")


def room_for_page(user, pk) -> Room:
    """One room `user` may see (404 outside the scope), with its center and the center's region."""
    return get_visible_or_404(Room.objects.select_related("center__region"), user, pk=pk)


def booking_for_page(user, pk) -> Booking:
    """One booking `user` may see (404 outside the scope), with its room and center."""
    return get_visible_or_404(Booking.objects.select_related("room__center"), user, pk=pk)


def volunteer_for_page(user, pk) -> Volunteer:
    """One volunteer `user` may see (404 outside the scope), with their region and member."""
    return get_visible_or_404(Volunteer.objects.select_related("region", "member"), user, pk=pk)


def event_attendance_rows(event: Event):
    """An event's attendance list in the order it was made, with the members."""
    return event.attendances.select_related("member").order_by("pk")


def compliance_party_organizations_for(user):
    """The party organizations owing meetings (events.compliance) that `user` may see, in tree order,
    with their region."""
    return (
        compliance_party_organizations().visible_to(user).select_related("region").order_by("tree_id", "lft")
    )
