"""A member's dated history read as periods: the status and stage on any day, and a party
organization's life on a day. The stage services check a back-dated step against these, never
against today's status, so a district's past can be loaded in any order (issue 12).

Status on a day: the status-change rows (StageChange.to_status: suspension, reinstatement,
leaving, death) and the received transfers out of / into the system, the latest on or before
the day; before the first of them a member was active. A member without any such row has
today's status throughout (rows written before to_status existed and could not be read back).
"""

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from members.models import Member, StageChange, Transfer

if TYPE_CHECKING:
    from branches.models import PartyOrganization

Status = Member.Status
Stage = Member.Stage


def status_events(member: Member) -> list[tuple[date, str, str]]:
    """[(day, status from that day, what recorded it)], oldest first."""
    events: list[tuple[date, str, str]] = [
        (row.on, row.to_status, _("the status change of %(date)s") % {"date": row.on.isoformat()})
        for row in StageChange.objects.filter(member=member).exclude(to_status="").only("on", "to_status")
    ]
    transfers = Transfer.objects.filter(
        member=member,
        status=Transfer.Status.RECEIVED,
        direction__in=[Transfer.Direction.OUT, Transfer.Direction.IN],
    ).only("direction", "received_on")
    for transfer in transfers:
        assert transfer.received_on is not None  # a received transfer has its date
        status = Status.TRANSFERRED_OUT if transfer.direction == Transfer.Direction.OUT else Status.ACTIVE
        events.append(
            (
                transfer.received_on,
                status,
                _("the transfer received on %(date)s") % {"date": transfer.received_on.isoformat()},
            )
        )
    return sorted(events, key=lambda event: event[0])


def status_on(member: Member, day: date) -> tuple[str, str]:
    """(status on `day`, the row that set it or "")."""
    events = status_events(member)
    if not events:
        return member.status, ""
    status: str = Status.ACTIVE
    source = ""
    for on, to_status, label in events:
        if on > day:
            break
        status, source = to_status, label
    return status, source


def stage_on(member: Member, day: date) -> str | None:
    """The pipeline stage reached on `day` from the stage dates (None: not yet an applicant)."""
    from members.services.members import STAGE_DATE_FIELD, STAGE_ORDER

    reached = None
    for stage in STAGE_ORDER:
        value = getattr(member, STAGE_DATE_FIELD[stage])
        if value is not None and value <= day:
            reached = stage
    return reached


def not_active_on(member: Member, day: date) -> str:
    """Why `member` was not an active member on `day`, naming the row that says so; "" if they were."""
    status, source = status_on(member, day)
    if status == Status.ACTIVE:
        return ""
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
