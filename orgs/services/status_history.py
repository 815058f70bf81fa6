# ruff: noqa: S608  (statements built from model table names; values are bound)
"""An organization's dated status history (OrganizationStatusChange): record, correct, remove.

History arrives in any order (a district loads years of records, today's state
first or last), so every check compares periods with periods:
- the rows of one organization form consecutive periods, each lasting until the
  next row (`until`, recomputed here after every write); one registration, and
  it comes first; one row a day;
- every coverage link, instructor assignment, alliance membership, grid pairing and pairing of
  the organization must lie inside its active periods (registered or reinstated): a
  change that would leave one outside is refused with a message naming it and the row.
Organization.status / status_changed_on / registered_on mirror the history
(written here only), for the many reads that only ask about today.

Row locks: the organization row first (the coverage and instructor services
lock it too), so writers of one organization's history and links queue.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import REGISTRY_IMPORT, Actor
from accounts.recorded_by import recorded_by
from config.periods import span
from orgs.models import Organization, OrganizationStatusChange
from orgs.services.organizations import check_registry_actor

Kind = OrganizationStatusChange.Kind
EARLIEST_DATE = date(1949, 10, 1)
# Organization.status for the latest row of each kind.
STATUS_OF_KIND = {
    Kind.REGISTERED: Organization.Status.ACTIVE,
    Kind.REINSTATED: Organization.Status.ACTIVE,
    Kind.DEREGISTERED: Organization.Status.DEREGISTERED,
    Kind.REVOKED: Organization.Status.REVOKED,
}
KIND_OF_STATUS: dict[str, str] = {
    Organization.Status.ACTIVE: Kind.REINSTATED,
    Organization.Status.DEREGISTERED: Kind.DEREGISTERED,
    Organization.Status.REVOKED: Kind.REVOKED,
}


def _sort_key(row: OrganizationStatusChange) -> tuple[bool, date, bool, int]:
    return (row.on is not None, row.on or EARLIEST_DATE, row.kind != Kind.REGISTERED, row.pk or 0)


def chain(rows: Iterable[OrganizationStatusChange]) -> list[OrganizationStatusChange]:
    """The rows in date order with each one's `until` set to the next row's date (in memory)."""
    ordered = sorted(rows, key=_sort_key)
    for row, following in zip(ordered, [*ordered[1:], None], strict=True):
        row.until = following.on if following is not None else None
    return ordered


def describe_row(row: OrganizationStatusChange) -> str:
    """A status row as a message names it: what, when, and its number."""
    when = row.on.isoformat() if row.on else _("an unknown date")
    if row.pk is None:
        return _("“%(kind)s on %(date)s” (the new status change)") % {
            "kind": row.get_kind_display(),
            "date": when,
        }
    return _("“%(kind)s on %(date)s” (status change no. %(pk)s)") % {
        "kind": row.get_kind_display(),
        "date": when,
        "pk": row.pk,
    }


@dataclass(frozen=True)
class Gap:
    """Why [since, until) is not inside the active periods: the row in force there (None: nothing
    recorded yet, i.e. before the registration `first`)."""

    row: OrganizationStatusChange | None
    first: OrganizationStatusChange


def find_gap(rows: list, since: date, until: date | None) -> Gap | None:
    """The first reason [since, until) is not inside the active periods of the chained `rows`."""
    if not rows:
        return None  # no history at all: nothing to compare with (never the case after the migration)
    first = rows[0]
    if first.on is not None and since < first.on:
        return Gap(row=None, first=first)
    for row in rows:
        starts_before_end = until is None or row.on is None or row.on < until
        ends_after_start = row.until is None or row.until > since
        if starts_before_end and ends_after_start and not row.is_active_kind:
            return Gap(row=row, first=first)
    return None


def gap_message(organization: Organization, gap: Gap, what: str) -> str:
    """`what` (e.g. "the link ‘A → B’ (2019-01-01 – 2021-01-01, no. 7)") against the history."""
    if gap.row is None:
        return _("%(org)s was not registered before %(row)s, so %(what)s cannot start earlier.") % {
            "org": organization,
            "row": describe_row(gap.first),
            "what": what,
        }
    return _("%(org)s was not active from %(row)s, which %(what)s overlaps.") % {
        "org": organization,
        "row": describe_row(gap.row),
        "what": what,
    }


def history_rows(organization_id: int) -> list:
    return chain(OrganizationStatusChange.objects.filter(organization_id=organization_id))


def check_active_over(
    organization: Organization, since: date, until: date | None, *, field: str, what: str
) -> None:
    """Refuse a dated record [since, until) of `organization` outside its active periods."""
    gap = find_gap(history_rows(organization.pk), since, until)
    if gap is not None:
        raise ValidationError({field: gap_message(organization, gap, what)}, code="inactive_period")


def _dated_records(organization_id: int) -> Iterator[tuple[date, date | None, str]]:
    """The organization's dated records that need it active, as (since, until, what): coverage links,
    instructor assignments, alliance memberships and grid pairings."""
    CoverageLink = apps.get_model("branches", "CoverageLink")
    InstructorAssignment = apps.get_model("branches", "InstructorAssignment")
    for link in CoverageLink.objects.filter(organization_id=organization_id).select_related(
        "party_organization"
    ):
        yield (
            link.since,
            link.until,
            _("the coverage link by %(po)s (%(span)s, link no. %(pk)s)")
            % {"po": link.party_organization, "span": span(link.since, link.until), "pk": link.pk},
        )
    for assignment in InstructorAssignment.objects.filter(organization_id=organization_id).select_related(
        "instructor"
    ):
        yield (
            assignment.since,
            assignment.until,
            _("the assignment of instructor %(name)s (%(span)s, assignment no. %(pk)s)")
            % {
                "name": assignment.instructor,
                "span": span(assignment.since, assignment.until),
                "pk": assignment.pk,
            },
        )
    yield from _alliance_records(organization_id)


def _alliance_records(organization_id: int) -> Iterator[tuple[date, date | None, str]]:
    """Alliance memberships, grid pairings and pairings (alliances.services.periods checks them the
    other way)."""
    AllianceMembership = apps.get_model("alliances", "AllianceMembership")
    GridPairing = apps.get_model("alliances", "GridPairing")
    Pairing = apps.get_model("alliances", "Pairing")
    for membership in AllianceMembership.objects.filter(organization_id=organization_id).select_related(
        "alliance"
    ):
        yield (
            membership.joined_on,
            membership.left_on,
            _("the membership of %(alliance)s (%(span)s, membership no. %(pk)s)")
            % {
                "alliance": membership.alliance,
                "span": span(membership.joined_on, membership.left_on),
                "pk": membership.pk,
            },
        )
    for grid in GridPairing.objects.filter(organization_id=organization_id):
        yield (
            grid.since,
            grid.until,
            _("the pairing with grid %(grid)s (%(span)s, grid pairing no. %(pk)s)")
            % {"grid": grid.grid_name, "span": span(grid.since, grid.until), "pk": grid.pk},
        )
    for pairing in Pairing.objects.filter(organization_id=organization_id):
        yield (
            pairing.signed_on,
            pairing.ends_on,
            _("the pairing with %(partner)s (%(span)s, pairing no. %(pk)s)")
            % {
                "partner": pairing.partner_name,
                "span": span(pairing.signed_on, pairing.ends_on),
                "pk": pairing.pk,
            },
        )


def _validate(
    organization: Organization, rows: list[OrganizationStatusChange], changed: OrganizationStatusChange | None
) -> None:
    """The candidate history `rows` (chained) with `changed` the row being written (None: a removal)."""
    errors: dict = {}
    today = timezone.localdate()
    if changed is not None:
        if changed.on is not None and changed.on > today:
            errors["on"] = _("The date cannot be in the future.")
        elif changed.on is not None and changed.on < EARLIEST_DATE:
            errors["on"] = _("The date cannot be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}
        elif changed.on is None and changed.kind != Kind.REGISTERED:
            errors["on"] = _("Give the date of the status change.")
        for other in rows:
            if other is changed:
                continue
            if changed.kind == Kind.REGISTERED and other.kind == Kind.REGISTERED:
                errors["kind"] = _(
                    "%(org)s already has its registration: %(row)s; correct that row instead."
                ) % {
                    "org": organization,
                    "row": describe_row(other),
                }
            elif changed.on is not None and other.on == changed.on:
                errors["on"] = _("%(org)s already has %(row)s on that day; correct that row instead.") % {
                    "org": organization,
                    "row": describe_row(other),
                }
        registration = next((row for row in rows if row.kind == Kind.REGISTERED), None)
        if registration is not None and rows[0] is not registration and "on" not in errors:
            earlier = rows[0]
            errors["on"] = _("%(first)s comes before the registration %(registration)s.") % {
                "first": describe_row(earlier)[0].upper() + describe_row(earlier)[1:],
                "registration": describe_row(registration),
            }
    if errors:
        raise ValidationError(errors)
    for since, until, what in _dated_records(organization.pk):
        gap = find_gap(rows, since, until)
        if gap is not None:
            field = "on" if changed is not None else "__all__"
            raise ValidationError({field: gap_message(organization, gap, what)}, code="inactive_period")


RELINK_UNTIL = """UPDATE {table} SET until = (
    SELECT MIN(x."on") FROM {table} x
    WHERE x.organization_id = {table}.organization_id
      AND (x."on" > {table}."on" OR ({table}."on" IS NULL AND x."on" IS NOT NULL))
)"""


def _relink(organization: Organization) -> None:
    """Recompute every row's `until` (one UPDATE) and mirror the latest row on the organization's
    status columns (and its registration date on registered_on)."""
    table = OrganizationStatusChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(RELINK_UNTIL.format(table=table) + " WHERE organization_id = %s", [organization.pk])
    rows = history_rows(organization.pk)
    if not rows:
        return
    latest = rows[-1]
    registration = next((row for row in rows if row.kind == Kind.REGISTERED), None)
    values = {
        "status": STATUS_OF_KIND[latest.kind],
        "status_changed_on": latest.on if latest.kind != Kind.REGISTERED else None,
    }
    if registration is not None and registration.on and registration.on != registration_day(organization):
        values["registered_on"] = registration.on
    for name, value in values.items():
        setattr(organization, name, value)
    Organization.objects.filter(pk=organization.pk).update(**values, updated_at=timezone.now())


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _write(
    organization: Organization, row: OrganizationStatusChange, actor: Actor, *also: Any
) -> OrganizationStatusChange:
    """Save `row` (and the rows `also`, new ones written with it as one fact) after checking the
    history they make with every other row and every dated record of the organization."""
    written = [row, *also]
    for item in written:
        item.document = (item.document or "").strip()
        item.note = (item.note or "").strip()
    keep = {item.pk for item in written if item.pk}
    others = [
        r for r in OrganizationStatusChange.objects.filter(organization=organization) if r.pk not in keep
    ]
    rows = chain([*others, *written])
    for item in written:
        _validate(organization, rows, item)
    for item in written:
        item.full_clean(exclude=["until"], validate_constraints=False)
        item.set_recorder(actor)
        item.until = None  # _relink sets it in SQL
        item.save()
    _relink(organization)
    row.refresh_from_db()
    return row


@transaction.atomic
def organization_status_record(
    *,
    organization: Organization,
    kind: str,
    on: date | None,
    reinstated_on: date | None = None,
    document: str = "",
    note: str = "",
    actor: Actor,
) -> OrganizationStatusChange:
    """Add one dated step to the history, at its place among the others (any order).

    A deregistration or revocation that was later undone is one fact: give `reinstated_on` and
    both rows are checked and written together, so links of the later active period need not wait
    for the reinstatement to be entered first."""
    check_registry_actor(actor, organization)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("“%(kind)s” is not a status change.") % {"kind": kind}})
    org = _locked(organization)
    row = OrganizationStatusChange(organization=org, kind=kind, on=on, document=document, note=note)
    if reinstated_on is None:
        return _write(org, row, actor)
    if kind not in (Kind.DEREGISTERED, Kind.REVOKED):
        raise ValidationError(
            {"reinstated_on": _("Only a deregistration or a revocation can be followed by a reinstatement.")}
        )
    if on is not None and reinstated_on <= on:
        raise ValidationError(
            {"reinstated_on": _("The reinstatement must come after %(date)s.") % {"date": on.isoformat()}}
        )
    reinstatement = OrganizationStatusChange(organization=org, kind=Kind.REINSTATED, on=reinstated_on)
    try:
        return _write(org, row, actor, reinstatement)
    except ValidationError as exc:
        raise _rename_on(exc, reinstatement, reinstated_on) from None


@transaction.atomic
def organization_status_correct(
    *,
    change: OrganizationStatusChange,
    actor: Actor,
    kind: str | None = None,
    on: date | None = None,
    document: str | None = None,
    note: str | None = None,
) -> OrganizationStatusChange:
    """Correct a history row (staff; django-auditlog records the old and new values)."""
    check_registry_actor(actor, change.organization)
    org = _locked(change.organization)
    row = OrganizationStatusChange.objects.get(pk=change.pk)
    if kind is not None:
        if kind not in Kind.values:
            raise ValidationError({"kind": _("“%(kind)s” is not a status change.") % {"kind": kind}})
        row.kind = kind
    if on is not None or (kind == Kind.REGISTERED and on is None and row.on is None):
        row.on = on
    if document is not None:
        row.document = document
    if note is not None:
        row.note = note
    return _write(org, row, actor)


@transaction.atomic
def organization_status_remove(*, change: OrganizationStatusChange, actor: Actor) -> None:
    """Remove a history row entered by mistake (staff; django-auditlog records the removal).
    Refused when a link or assignment would then fall outside the active periods."""
    check_registry_actor(actor, change.organization)
    org = _locked(change.organization)
    others = [r for r in OrganizationStatusChange.objects.filter(organization=org) if r.pk != change.pk]
    if not others:
        raise ValidationError(
            {
                "__all__": _("%(row)s is the only row of the history; correct it instead.")
                % {"row": describe_row(change)}
            }
        )
    _validate(org, chain(others), None)
    OrganizationStatusChange.objects.filter(pk=change.pk).delete()
    _relink(org)


def _rename_on(
    exc: ValidationError, reinstatement: OrganizationStatusChange, reinstated_on: date
) -> ValidationError:
    """An error about the reinstatement's date belongs to the reinstated_on field."""
    if not hasattr(exc, "error_dict") or "on" not in exc.error_dict:
        return exc
    messages = exc.message_dict["on"]
    if any(reinstated_on.isoformat() in m for m in messages):
        errors = dict(exc.error_dict)
        errors["reinstated_on"] = errors.pop("on")
        return ValidationError(errors)
    return exc


def registration_day(organization: Organization) -> date | None:
    return organization.registered_on or organization.established_on


def status_history_start(organization: Organization, *, actor: Actor) -> None:
    """A new organization's history: its registration (and its status if created inactive).
    Called inside organization_create's transaction."""
    OrganizationStatusChange.objects.create(
        organization=organization,
        kind=Kind.REGISTERED,
        on=registration_day(organization),
        **recorded_by(actor),
    )


def status_history_follow_registration(organization: Organization) -> None:
    """organization_update changed registered_on / established_on: move the registration row,
    refused (naming the row) when that leaves a link or assignment before it."""
    row = OrganizationStatusChange.objects.filter(organization=organization, kind=Kind.REGISTERED).first()
    day = registration_day(organization)
    if row is None or row.on == day:
        return
    row.on = day
    others = [r for r in OrganizationStatusChange.objects.filter(organization=organization) if r.pk != row.pk]
    rows = chain([*others, row])
    try:
        _validate(organization, rows, row)
    except ValidationError as exc:
        raise ValidationError({"registered_on": exc.messages}) from None
    row.save(update_fields=["on"])
    _relink(organization)


def status_history_seed(*, after_id: int | None = None) -> int:
    """Histories for the organizations that have none (rows written by bulk paths: the registry
    import, the benchmark loader), from their status columns: one INSERT … SELECT
    and one UPDATE, portable SQL. Returns the number of rows written.

    `after_id`: only the organizations with a larger id (the registry import passes the largest id
    before its writes: the rows it created), and only those with more than one row relinked."""
    org_table = Organization._meta.db_table
    table = OrganizationStatusChange._meta.db_table
    registration = "COALESCE(o.registered_on, o.established_on)"
    now = timezone.now()
    newer = "" if after_id is None else " AND o.id > %s"
    newer_params = [] if after_id is None else [after_id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table}
                    (organization_id, kind, "on", document, note, recorded_by_system, recorded_at)
                SELECT o.id, 'registered', {registration}, '', '', '', %s
                FROM {org_table} o
                WHERE NOT EXISTS (SELECT 1 FROM {table} h WHERE h.organization_id = o.id)
                  AND NOT (o.status <> 'active' AND o.status_changed_on IS NOT NULL
                           AND {registration} IS NOT NULL AND o.status_changed_on = {registration}){newer}
                UNION ALL
                SELECT o.id, o.status, o.status_changed_on, '', '', '', %s
                FROM {org_table} o
                WHERE NOT EXISTS (SELECT 1 FROM {table} h WHERE h.organization_id = o.id)
                  AND o.status <> 'active'{newer}""",
            [now, *newer_params, now, *newer_params],
        )
        written = cursor.rowcount
        # Only an organization with two rows (seeded as not active) has an `until` to set: after
        # `after_id`, those only, and no UPDATE at all when there is none (the usual import).
        relinked = ""
        if after_id is not None:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {org_table} o WHERE o.status <> 'active'{newer})",
                newer_params,
            )
            if not cursor.fetchone()[0]:
                return written
            relinked = (
                f" AND {table}.organization_id IN "
                f"(SELECT o.id FROM {org_table} o WHERE o.status <> 'active'{newer})"
            )
        cursor.execute(
            RELINK_UNTIL.format(table=table)
            + f""" WHERE until IS NULL AND EXISTS (
                SELECT 1 FROM {table} x WHERE x.organization_id = {table}.organization_id
                AND (x."on" > {table}."on" OR ({table}."on" IS NULL AND x."on" IS NOT NULL))){relinked}""",
            newer_params,
        )
    return written


def status_history_follow_columns(organization_ids: Iterable[int]) -> None:
    """After a bulk update of status columns (the registry import): add the history row each
    changed organization's columns now say (a deregistration or revocation on its date, or a
    reinstatement), and move its registration row to its registration date. The import checked
    scope and dates; the periods are checked here like any other history write."""
    for org in Organization.objects.select_for_update().filter(pk__in=list(organization_ids)).order_by("pk"):
        rows = history_rows(org.pk)
        if not rows:
            continue  # status_history_seed starts it
        status_history_follow_registration(org)
        latest = history_rows(org.pk)[-1]
        if STATUS_OF_KIND[latest.kind] == org.status and (
            org.status == Organization.Status.ACTIVE or latest.on == org.status_changed_on
        ):
            continue
        kind = KIND_OF_STATUS[org.status]
        on = org.status_changed_on or timezone.localdate()
        existing = next((row for row in rows if row.on == on), None)
        row = existing or OrganizationStatusChange(organization=org, on=on)
        row.kind = kind
        _write(org, row, REGISTRY_IMPORT)
