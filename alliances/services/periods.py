"""Alliance memberships, grid pairings and pairings checked over their own periods (issue 12).

A membership [joined_on, left_on) or a grid pairing [since, until) is valid when it lies inside the
organization's active periods (orgs.services.status_history: the status on any day, read from its
dated history), inside the alliance's life (founded_on to dissolved_on) and shares no day with another
membership of the same organization in the same alliance (or pairing with the same grid). Today's
state is never read, so a district's past loads in any order; every refusal names the row it
conflicts with ("status change no. 41", "membership no. 7"). The organization's status history checks
the same rows the other way round (a deregistration over a membership is refused, naming it).

A pairing (结对共建) [signed_on, ends_on) lies inside the active periods of its organization, or inside
the life of its alliance; its end date is compared as the other end dates are (the agreement may end
on the day the organization is deregistered or the alliance dissolved). As with memberships, a
deregistration over a running pairing is refused naming it (orgs.services.status_history), and the
dissolution of an alliance ends its open pairings that day and refuses one recorded to run later.
"""

from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Alliance, AllianceMembership, GridPairing, Pairing
from config.periods import span
from orgs.services.status_history import find_gap, gap_message, history_rows

# How a refusal names each kind of row: while it is new, and once saved (with its number).
_NAMES: dict[type, tuple[Promise, Promise]] = {
    AllianceMembership: (
        gettext_lazy("the new membership of %(org)s in %(alliance)s (%(span)s)"),
        gettext_lazy("the membership of %(org)s in %(alliance)s (%(span)s, membership no. %(pk)s)"),
    ),
    GridPairing: (
        gettext_lazy("the new pairing of %(org)s with grid %(grid)s (%(span)s)"),
        gettext_lazy("the pairing of %(org)s with grid %(grid)s (%(span)s, grid pairing no. %(pk)s)"),
    ),
    Pairing: (
        gettext_lazy("the new pairing of %(side)s with %(partner)s (%(span)s)"),
        gettext_lazy("the pairing of %(side)s with %(partner)s (%(span)s, pairing no. %(pk)s)"),
    ),
}


def _described(
    row: AllianceMembership | GridPairing | Pairing, since: date | None, until: date | None, **values: Any
) -> str:
    new, saved = _NAMES[type(row)]
    values["span"] = span(since, until)
    if row.pk is None:
        return str(new) % values
    return str(saved) % {**values, "pk": row.pk}


def describe_membership(row: AllianceMembership) -> str:
    """A membership as a message names it: whose, of what, when, and its number."""
    return _described(row, row.joined_on, row.left_on, org=row.organization, alliance=row.alliance)


def describe_grid_pairing(row: GridPairing) -> str:
    return _described(row, row.since, row.until, org=row.organization, grid=row.grid_name)


def describe_pairing(row: Pairing) -> str:
    return _described(row, row.signed_on, row.ends_on, side=row.side_name, partner=row.partner_name)


def _overlaps(a_since: date, a_until: date | None, b_since: date, b_until: date | None) -> bool:
    return (a_until is None or b_since < a_until) and (b_until is None or a_since < b_until)


def organization_errors(
    organization: Any, since: date, until: date | None, what: str, *, fields: tuple
) -> dict:
    """The period outside the organization's active periods: keyed by the start field when the start
    itself is outside (before the registration, or inside an inactive period), else by the end field
    (the record should end before the inactive period)."""
    gap = find_gap(history_rows(organization.pk), since, until)
    if gap is None:
        return {}
    start_field, end_field = fields
    starts_inside = gap.row is None or gap.row.on is None or gap.row.on <= since
    return {start_field if starts_inside else end_field: gap_message(organization, gap, what)}


def alliance_life_errors(
    alliance: Alliance, since: date, until: date | None, what: str, *, fields: tuple
) -> dict:
    """The period outside the alliance's life (founded_on to dissolved_on)."""
    start_field, end_field = fields
    values = {"alliance": alliance, "what": what}
    if alliance.founded_on and since < alliance.founded_on:
        return {
            start_field: _("%(alliance)s was founded on %(date)s, so %(what)s cannot start earlier.")
            % {**values, "date": alliance.founded_on.isoformat()}
        }
    if alliance.dissolved_on and since >= alliance.dissolved_on:
        return {
            start_field: _("%(alliance)s was dissolved on %(date)s, so %(what)s cannot start then or later.")
            % {**values, "date": alliance.dissolved_on.isoformat()}
        }
    if alliance.dissolved_on and (until is None or until > alliance.dissolved_on):
        return {
            end_field: _("%(alliance)s was dissolved on %(date)s; %(what)s must end by then.")
            % {**values, "date": alliance.dissolved_on.isoformat()}
        }
    return {}


def membership_errors(row: AllianceMembership, *, fields: Any = ("joined_on", "left_on")) -> dict:
    """Every period rule for `row` (new or changed), in the order a reader fixes them."""
    if row.joined_on is None:
        return {fields[0]: _("Give the date the organization joined.")}
    if not row.organization_id or not row.alliance_id:
        return {}  # full_clean names the missing field
    what = describe_membership(row)
    errors = alliance_life_errors(row.alliance, row.joined_on, row.left_on, what, fields=fields)
    errors = errors or organization_errors(row.organization, row.joined_on, row.left_on, what, fields=fields)
    if errors:
        return errors
    others = (
        AllianceMembership.objects.filter(alliance_id=row.alliance_id, organization_id=row.organization_id)
        .exclude(pk=row.pk)
        .select_related("organization", "alliance")
        .order_by("joined_on", "pk")
    )
    for other in others:
        if _overlaps(row.joined_on, row.left_on, other.joined_on, other.left_on):
            # The field to correct: the start when it falls inside the other one (the organization
            # itself when that one still runs), else the end, which runs into the other one.
            if other.joined_on > row.joined_on:
                field = fields[1]
            else:
                field = "organization" if other.left_on is None else fields[0]
            return {
                field: _("%(what)s shares days with %(other)s.")
                % {"what": what[0].upper() + what[1:], "other": describe_membership(other)}
            }
    return {}


def grid_pairing_errors(row: GridPairing) -> dict:
    """The grid pairing inside the organization's active periods, and no other pairing of the same
    organization with the same grid on any of its days."""
    if row.since is None:
        return {"since": _("Give the date the pairing started.")}
    if not row.organization_id:
        return {}  # full_clean names the missing field
    what = describe_grid_pairing(row)
    errors = organization_errors(row.organization, row.since, row.until, what, fields=("since", "until"))
    if errors:
        return errors
    others = (
        GridPairing.objects.filter(
            organization_id=row.organization_id, community_id=row.community_id, grid_name=row.grid_name
        )
        .exclude(pk=row.pk)
        .select_related("organization")
        .order_by("since", "pk")
    )
    for other in others:
        if _overlaps(row.since, row.until, other.since, other.until):
            field = "until" if other.since > row.since else ("grid_name" if other.until is None else "since")
            return {
                field: _("%(what)s shares days with %(other)s.")
                % {"what": what[0].upper() + what[1:], "other": describe_grid_pairing(other)}
            }
    return {}


def pairing_errors(row: Pairing) -> dict:
    """The agreement's period [signed_on, ends_on) in order, inside the active periods of its
    organization (its status history) or the life of its alliance; each refusal names the row."""
    fields = ("signed_on", "ends_on")
    if row.signed_on is None:
        return {"signed_on": _("Give the date the agreement was signed.")}
    if row.ends_on is not None and row.ends_on <= row.signed_on:
        return {
            "ends_on": _("The agreement must end after it was signed (%(date)s).")
            % {"date": row.signed_on.isoformat()}
        }
    what = describe_pairing(row)
    if row.organization_id:
        return organization_errors(row.organization, row.signed_on, row.ends_on, what, fields=fields)
    if row.alliance_id:
        alliance = Alliance.objects.get(pk=row.alliance_id)  # its dates as stored, not a caller's copy
        return alliance_life_errors(alliance, row.signed_on, row.ends_on, what, fields=fields)
    return {}  # _save_pairing names the missing side
