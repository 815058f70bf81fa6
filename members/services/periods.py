"""A member's dated history read as periods: the status, the stage and the party organization
holding them on any day, and a party organization's life on a day. The stage services check a
back-dated step against these, never against today's status, so a district's past can be loaded in
any order (issue 12). The coverage engine's SQL (stats.coverage.sql) and the benchmark's yardstick
(bench/hand_written.py) say the same in SQL (tests/stats/test_member_history.py checks them member by
member).

Status on a day: the status-change rows (StageChange.to_status: suspension, reinstatement,
leaving, death) and the received transfers out of / into the system, the latest on or before
the day. Events are in the order (day, kind, row id): on one day a transfer comes after a status
change, and of two rows of one kind the later recorded (higher id) comes last, so it is the status
from that day. Before the first event a member was active, unless that first event is a transfer
into the system: before it they were not in the system (`OUTSIDE`: not active, counted nowhere). A
member without any such row has today's status throughout (rows written before to_status existed
and could not be read back).

Party organization holding a member on a day: the received transfers (internal, out of and into the
system), in the order (received day, row id); the latest on or before the day gives its destination
(the receiving party organization; a transfer out has none: its sender); before the first, that
transfer's origin (the sender; a transfer in has none: its receiver); a member without a received
transfer is held by today's party organization throughout.
"""

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext as _

from members.models import Member, StageChange, Transfer

if TYPE_CHECKING:
    from branches.models import PartyOrganization

Status = Member.Status
Stage = Member.Stage
# The status before a first event that is a transfer into the system: not in the system yet (not
# active, counted nowhere; the status an arrival follows, as after a transfer out).
OUTSIDE = Status.TRANSFERRED_OUT


class _Event(NamedTuple):
    on: date
    kind: int  # 0 a status change, 1 a received transfer: on one day the transfer comes last
    row_id: int
    status: str
    label: str
    arrival: bool  # a transfer into the system


def _events(member: Member) -> list[_Event]:
    """The status events in their order (day, kind, row id): the last on or before a day sets it."""
    events = [
        _Event(
            row.on,
            0,
            row.pk,
            row.to_status,
            _("the status change of %(date)s") % {"date": row.on.isoformat()},
            False,
        )
        for row in StageChange.objects.filter(member=member).exclude(to_status="").only("on", "to_status")
    ]
    transfers = Transfer.objects.filter(
        member=member,
        status=Transfer.Status.RECEIVED,
        direction__in=[Transfer.Direction.OUT, Transfer.Direction.IN],
    ).only("direction", "received_on")
    for transfer in transfers:
        assert transfer.received_on is not None  # a received transfer has its date
        arrival = transfer.direction == Transfer.Direction.IN
        events.append(
            _Event(
                transfer.received_on,
                1,
                transfer.pk,
                Status.ACTIVE if arrival else Status.TRANSFERRED_OUT,
                _("the transfer received on %(date)s") % {"date": transfer.received_on.isoformat()},
                arrival,
            )
        )
    return sorted(events, key=lambda event: (event.on, event.kind, event.row_id))


def status_events(member: Member) -> list[tuple[date, str, str]]:
    """[(day, status from that day, what recorded it)], in their order (day, kind, row id)."""
    return [(event.on, event.status, event.label) for event in _events(member)]


def status_on(member: Member, day: date) -> tuple[str, str]:
    """(status on `day`, the row that set it or "")."""
    events = _events(member)
    if not events:
        return member.status, ""
    first = events[0]
    if first.on > day and first.arrival:
        return OUTSIDE, _("before the transfer into the system received on %(date)s") % {
            "date": first.on.isoformat()
        }
    status: str = Status.ACTIVE
    source = ""
    for event in events:
        if event.on > day:
            break
        status, source = event.status, event.label
    return status, source


def arrived_on(member: Member) -> date | None:
    """The day a member whose history starts with a transfer into the system arrived (else None)."""
    events = _events(member)
    return events[0].on if events and events[0].arrival else None


def party_organization_id_on(member: Member, day: date) -> int:
    """The id of the party organization holding `member` on `day` (the module's rule)."""
    received = Transfer.objects.filter(
        member=member, status=Transfer.Status.RECEIVED, received_on__isnull=False
    ).only("received_on", "from_party_organization_id", "to_party_organization_id")
    # (received day, row id, origin, destination): an origin is the sender, else (a transfer in) the
    # receiver; a destination the receiver, else (a transfer out) the sender
    moves = sorted(
        (
            transfer.received_on,
            transfer.pk,
            transfer.from_party_organization_id or transfer.to_party_organization_id,
            transfer.to_party_organization_id or transfer.from_party_organization_id,
        )
        for transfer in received
        if transfer.received_on is not None
    )
    if not moves:
        return member.party_organization_id
    passed = [move for move in moves if move[0] <= day]
    held = passed[-1][3] if passed else moves[0][2]
    return held or member.party_organization_id


def party_organization_on(member: Member, day: date) -> "PartyOrganization":
    """The party organization holding `member` on `day` (the module's rule)."""
    from branches.models import PartyOrganization

    return PartyOrganization.objects.get(pk=party_organization_id_on(member, day))


def not_active_on(member: Member, day: date, *, own_step: bool = False) -> str:
    """Why `member` was not an active member on `day`, naming the row that says so; "" if they were.

    `own_step`: `day` is the date of one of the member's own stage steps; a step before their arrival
    by a transfer into the system was taken outside it, and is not refused."""
    status, source = status_on(member, day)
    if status == Status.ACTIVE:
        return ""
    arrival = arrived_on(member)
    if arrival is not None and day < arrival:
        if own_step:
            return ""
        return _("On %(date)s %(name)s was not yet in the system (%(source)s).") % {
            "date": day.isoformat(),
            "name": member.name,
            "source": source,
        }
    if source:
        return _("On %(date)s %(name)s was “%(status)s” (%(source)s).") % {
            "date": day.isoformat(),
            "name": member.name,
            "status": Status(status).label,
            "source": source,
        }
    return _("%(name)s's status is “%(status)s”; only active members move on.") % {
        "name": member.name,
        "status": Status(status).label,
    }


def not_full_member_on(person: Member, day: date) -> str:
    """Why `person` was not an active full member on `day` (an introducer, a contact); "" if they were."""
    if person.full_on is None or person.full_on > day:
        since = person.full_on.isoformat() if person.full_on else "—"
        return _("%(name)s was not a full member on %(date)s (full member since: %(since)s).") % {
            "name": person.name,
            "date": day.isoformat(),
            "since": since,
        }
    return not_active_on(person, day)


def not_alive_on(po: "PartyOrganization", day: date) -> str:
    """Why party organization `po` did not exist on `day` (founded later, dissolved before); "" if it did."""
    if po.founded_on and day < po.founded_on:
        return _("%(po)s was founded on %(founded)s, after %(date)s.") % {
            "po": po,
            "founded": po.founded_on.isoformat(),
            "date": day.isoformat(),
        }
    if po.dissolved_on and day >= po.dissolved_on:
        return _("%(po)s was dissolved on %(dissolved)s, before %(date)s.") % {
            "po": po,
            "dissolved": po.dissolved_on.isoformat(),
            "date": day.isoformat(),
        }
    return ""


def recruit_refusal_on(po: "PartyOrganization", day: date) -> str:
    """Why `po` could not admit a member on `day`: a temporary branch never does; any other only while
    it existed (its founding and dissolution dates), whatever its status today."""
    if po.kind == "temporary_branch":
        return _("%(po)s is a temporary branch: temporary branches do not recruit members.") % {"po": po}
    return not_alive_on(po, day)
