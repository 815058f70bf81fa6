"""Temporary and flowing periods of a member (临时党员 / 流动党员): start one, record a contact, end it.

Every function takes an actor (a user, or a named accounts.actors.SystemActor for jobs and the demo
seeder) and refuses None. A user writes only members and party organizations inside their scope.
Periods of one member never overlap (checked under the member's row lock, so two secretaries at once
cannot both open one).

`Member.affiliation` is derived, never typed: it is a denormalised copy of the kind of the period open
today (else formal), written only here — when a period starts or ends, and by the daily
`affiliation_sync` (a period that ended yesterday stops covering today without any write). It is kept
as a column rather than an annotation because lists, filters, the admin filter and the export read it
as a plain column (no correlated subquery per row on lists that page through 10^5 members);
statistics for any day read the periods themselves (stats.coverage.sql), so both agree.
`affiliation_drift` lists members whose column disagrees with their periods (tests and the job).

Out of contact for months is reminded (reminders.jobs.flowing_contact_reminders); suspending the
membership stays a staff decision (members.services.status), never automatic here.
"""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_system, require_actor
from accounts.recorded_by import recorded_by
from branches.models import PartyOrganization
from members.models import AffiliationRecord, Member
from members.services.scope import require_writer

Kind = AffiliationRecord.Kind


def _require(actor: Actor, **objects: Any) -> None:
    require_actor(actor)
    if not is_system(actor):
        require_writer(actor, **{k: v for k, v in objects.items() if v is not None})


def _check_day(errors: dict, field: str, day: date | None, *, earliest: date | None = None) -> None:
    today = timezone.localdate()
    if day is None:
        errors[field] = _("Enter a date.")
    elif day > today or day.year < 1921 or (earliest and day < earliest):
        errors[field] = _("Enter a date from %(start)s to today.") % {"start": earliest or "1921-07-01"}


def _overlapping(
    member: Member, starts_on: date, ends_on: date | None, exclude_pk: int | None = None
) -> QuerySet[AffiliationRecord]:
    others = AffiliationRecord.objects.filter(member=member)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if ends_on is not None:
        others = others.filter(starts_on__lte=ends_on)
    return others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))


def derived_affiliation(day: date) -> Coalesce:
    """The expression of a member's affiliation on `day`: the kind of the period open that day, else
    formal (periods never overlap, so there is at most one)."""
    open_kind = (
        AffiliationRecord.objects.filter(member=OuterRef("pk"))
        .open_on(day)
        .order_by("-starts_on")
        .values("kind")
    )
    return Coalesce(Subquery(open_kind[:1]), Value(Member.Affiliation.FORMAL.value))


def affiliation_drift(day: date | None = None) -> QuerySet[Member]:
    """Members whose stored `affiliation` is not what their periods say for `day` (default today)."""
    day = day or timezone.localdate()
    return Member.objects.annotate(derived=derived_affiliation(day)).exclude(affiliation=F("derived"))


def affiliation_sync(
    *, actor: Actor, day: date | None = None, members: QuerySet[Member] | None = None
) -> int:
    """Write the derived affiliation wherever it drifted (all members, or the queryset `members`);
    one UPDATE, nothing else touched. Returns the number of members changed."""
    require_actor(actor)
    day = day or timezone.localdate()
    drifted = affiliation_drift(day)
    if members is not None:
        drifted = drifted.filter(pk__in=members.values("pk"))
    return Member.objects.filter(pk__in=drifted.values("pk")).update(affiliation=derived_affiliation(day))


def _sync_member(member: Member) -> None:
    """Today's affiliation: the kind of the period open today, else the formal relation."""
    today = timezone.localdate()
    open_now = AffiliationRecord.objects.filter(member=member).open_on(today).values_list("kind", flat=True)
    kind = next(iter(open_now), Member.Affiliation.FORMAL)
    if member.affiliation != kind:
        Member.objects.filter(pk=member.pk).update(affiliation=kind)
        member.affiliation = kind


@transaction.atomic
def affiliation_start(
    *,
    member: Member,
    kind: str,
    starts_on: date,
    actor: Actor,
    ends_on: date | None = None,
    formal_party_organization: PartyOrganization | None = None,
    formal_outside_body: str = "",
    holding_party_organization: PartyOrganization | None = None,
    location: str = "",
    contact_party_organization: PartyOrganization | None = None,
    last_contact_on: date | None = None,
    note: str = "",
) -> AffiliationRecord:
    """Record a temporary or flowing period (back-dated ones included: it is checked over its period
    against the member's other periods, not against today's state)."""
    _require(
        actor,
        member=member,
        formal_party_organization=formal_party_organization,
        holding_party_organization=holding_party_organization,
        contact_party_organization=contact_party_organization,
    )
    member = Member.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose temporary or flowing.")})
    if (
        member.stage not in (Member.Stage.PROBATIONARY, Member.Stage.FULL)
        or member.status != Member.Status.ACTIVE
    ):
        errors[NON_FIELD_ERRORS] = _(
            "Only active Party members (probationary or full) are temporary or flowing."
        )
    _check_day(errors, "starts_on", starts_on)
    if ends_on is not None and "starts_on" not in errors:
        _check_day(errors, "ends_on", ends_on, earliest=starts_on)
    formal_outside_body = (formal_outside_body or "").strip()
    location = (location or "").strip()
    if kind == Kind.TEMPORARY:
        if holding_party_organization is None:
            errors["holding_party_organization"] = _("Choose the temporary branch holding the member.")
        elif holding_party_organization.kind != PartyOrganization.Kind.TEMPORARY_BRANCH:
            errors["holding_party_organization"] = _("Choose a temporary branch.")
        if bool(formal_party_organization) == bool(formal_outside_body):
            errors["formal_party_organization"] = _(
                "Give where the formal relation lies: a party organization in the system or an outside body "
                "(one of them)."
            )
        elif formal_party_organization and formal_party_organization == holding_party_organization:
            errors["formal_party_organization"] = _(
                "The formal relation lies elsewhere than the temporary branch."
            )
        for field, value in (
            ("location", location),
            ("contact_party_organization", contact_party_organization),
            ("last_contact_on", last_contact_on),
        ):
            if value:
                errors[field] = _("Only for a flowing member: leave it empty for a temporary one.")
    else:
        if not location:
            errors["location"] = _("Say where the member is.")
        if contact_party_organization is None:
            errors["contact_party_organization"] = _("Choose the party organization keeping contact.")
        if last_contact_on is not None and "starts_on" not in errors:
            _check_day(errors, "last_contact_on", last_contact_on)
        for field, value in (
            ("formal_party_organization", formal_party_organization),
            ("formal_outside_body", formal_outside_body),
            ("holding_party_organization", holding_party_organization),
        ):
            if value:
                errors[field] = _("Only for a temporary member: leave it empty for a flowing one.")
    if not errors and _overlapping(member, starts_on, ends_on).exists():
        errors["starts_on"] = _(
            "This member already has a temporary or flowing period overlapping these dates."
        )
    if errors:
        raise ValidationError(errors)
    record = AffiliationRecord(
        member=member,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        formal_party_organization=formal_party_organization,
        formal_outside_body=formal_outside_body[:200],
        holding_party_organization=holding_party_organization,
        location=location[:200],
        contact_party_organization=contact_party_organization,
        last_contact_on=last_contact_on,
        note=(note or "").strip()[:200],
        **recorded_by(actor),
    )
    record.full_clean()
    record.save()
    _sync_member(member)
    return record


def _locked(record: AffiliationRecord, actor: Actor) -> AffiliationRecord:
    require_actor(actor)
    if not is_system(actor) and not actor.is_superuser:
        if getattr(actor, "role", None) not in ("staff", "secretary") or not actor.is_active:
            raise ValidationError(
                {NON_FIELD_ERRORS: _("Only staff and party organization secretaries may change members.")}
            )
        if not AffiliationRecord.objects.visible_to(actor).filter(pk=record.pk).exists():
            raise ValidationError({NON_FIELD_ERRORS: _("You may only choose items inside your own scope.")})
    Member.objects.select_for_update().get(pk=record.member_id)
    return AffiliationRecord.objects.select_related("member").get(pk=record.pk)


@transaction.atomic
def affiliation_contact_record(*, record: AffiliationRecord, on: date, actor: Actor) -> AffiliationRecord:
    """A contact with a flowing member (by the branch keeping contact, or the member's own): the last
    contact date moves forward only, so recording an older talk never hides a lapse."""
    record = _locked(record, actor)
    errors: dict[str, str] = {}
    if record.kind != Kind.FLOWING:
        errors["kind"] = _("Contacts are recorded for flowing members.")
    else:
        _check_day(errors, "on", on, earliest=record.starts_on)
        if not errors and record.ends_on and on > record.ends_on:
            errors["on"] = _("Enter a date from %(start)s to %(end)s.") % {
                "start": record.starts_on,
                "end": record.ends_on,
            }
    if errors:
        raise ValidationError(errors)
    if record.last_contact_on is None or on > record.last_contact_on:
        record.last_contact_on = on
        record.save(update_fields=["last_contact_on"])
    return record


@transaction.atomic
def affiliation_end(*, record: AffiliationRecord, ends_on: date, actor: Actor) -> AffiliationRecord:
    """Close a period (the member came back, the temporary branch dissolved, the relation moved)."""
    record = _locked(record, actor)
    errors: dict[str, str] = {}
    if record.ends_on is not None:
        errors["ends_on"] = _("This period is already closed.")
    else:
        _check_day(errors, "ends_on", ends_on, earliest=record.starts_on)
        if not errors and record.last_contact_on is not None and ends_on < record.last_contact_on:
            errors["ends_on"] = _("The period ends on or after the last contact (%(date)s).") % {
                "date": record.last_contact_on.isoformat()
            }
        if (
            not errors
            and _overlapping(record.member, record.starts_on, ends_on, exclude_pk=record.pk).exists()
        ):
            errors["ends_on"] = _(
                "This member already has a temporary or flowing period overlapping these dates."
            )
    if errors:
        raise ValidationError(errors)
    record.ends_on = ends_on
    record.full_clean()
    record.save(update_fields=["ends_on"])
    _sync_member(record.member)
    return record
