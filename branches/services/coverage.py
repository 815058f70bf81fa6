"""Coverage links: which party organization covers which organization, from when until when.

Rules (DOMAIN.md): a single-mode organization covers exactly one organization;
a joint one covers two or more (more than JOINT_BRANCH_MAX_ORGS is a rule
warning, not a refusal); a fallback one any number. An organization has at most
one active link at a time: the database's partial unique index enforces it, and
these services say so in words before it has to.

Row locks, always in this order: the party organization, then the
organization. Concurrent writers for one organization (or one single-mode
branch) therefore queue, and the second one re-reads what the first wrote.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import CoverageLink, PartyOrganization
from branches.services.scope import require_staff, require_visible
from config.periods import span
from orgs.models import Organization
from orgs.services.status_history import EARLIEST_DATE, check_active_over

Mode = PartyOrganization.BuildingMode


def _lock(
    party_organization: PartyOrganization, organization: Organization
) -> tuple[PartyOrganization, Organization]:
    po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    return po, org


def _already_covered_error(org: Organization, current: CoverageLink | None) -> ValidationError:
    if current is None:
        return ValidationError(
            {"organization": _("%(org)s is already covered by an active link.") % {"org": org}}
        )
    return ValidationError(
        {
            "organization": _(
                "%(org)s is already covered by %(po)s since %(since)s; an organization has one active "
                "link at a time. End that link first, or switch the organization to the new one."
            )
            % {"org": org, "po": current.party_organization, "since": current.since}
        },
        code="already_covered",
    )


def overlap_q(since: date, until: date | None, prefix: str = "") -> Q:
    """Q for dated rows (since/until, until exclusive) sharing at least one day with [since, until)."""
    q = Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": since})
    if until is not None:
        q &= Q(**{f"{prefix}since__lt": until})
    return q


def describe_link(link: CoverageLink) -> str:
    return _("%(po)s → %(org)s (%(span)s, link no. %(pk)s)") % {
        "po": link.party_organization,
        "org": link.organization,
        "span": span(link.since, link.until),
        "pk": link.pk,
    }


def check_po_life(po: PartyOrganization, since: date, until: date | None, *, what: str, field: str) -> None:
    """A dated record of a party organization lies within its life [founded_on, dissolved_on)."""
    if po.founded_on and since < po.founded_on:
        raise ValidationError(
            {
                field: _("%(po)s was founded on %(date)s; %(what)s cannot start earlier.")
                % {"what": what, "po": po, "date": po.founded_on}
            },
            code="before_founding",
        )
    if po.dissolved_on and (until is None or until > po.dissolved_on):
        raise ValidationError(
            {
                "party_organization" if until is None else "until": _(
                    "%(po)s is dissolved since %(date)s; %(what)s must end on or before that day."
                )
                % {"po": po, "date": po.dissolved_on, "what": what}
            },
            code="after_dissolution",
        )


def check_dates(since: date, until: date | None) -> None:
    today = timezone.localdate()
    if since > today:
        raise ValidationError({"since": _("The start date cannot be in the future.")})
    if since < EARLIEST_DATE:
        raise ValidationError(
            {"since": _("The start date cannot be before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}}
        )
    if until is not None and until <= since:
        raise ValidationError(
            {"until": _("The end date must be after the start date (%(date)s).") % {"date": since}}
        )
    if until is not None and until > today:
        raise ValidationError({"until": _("The end date cannot be in the future.")})


def _check_new_link(
    po: PartyOrganization,
    org: Organization,
    since: date,
    until: date | None = None,
    *,
    switching: bool = False,
    exclude_pk: int | None = None,
) -> None:
    """Every refusal of a link over [since, until), in the words a form shows next to the field.

    Periods are compared with periods, never with today's state: the link lies within the party
    organization's life and the organization's active periods (its status history), and shares no
    day with another link of the organization (nor, for a single-mode branch, with a link of the
    branch to another organization). History can therefore be entered in any order.
    """
    if po.kind == PartyOrganization.Kind.COMPREHENSIVE_COMMITTEE:
        raise ValidationError(
            {
                "party_organization": _(
                    "A comprehensive committee covers organizations through its branches: choose a branch "
                    "(its fallback branch for an organization that can build none)."
                )
            }
        )
    check_dates(since, until)
    what = _("the link (%(span)s)") % {"span": span(since, until)}
    check_po_life(po, since, until, what=what, field="since")
    check_active_over(org, since, until, field="organization", what=what)
    links = CoverageLink.objects.exclude(pk=exclude_pk)  # type: ignore[misc]  # pk=None: excludes nothing
    links = links.select_related("party_organization", "organization")
    if not switching:
        current = links.filter(organization=org, until__isnull=True).first()
        if current is not None and until is None and current.party_organization_id == po.pk:
            raise ValidationError(
                {
                    "organization": _("%(org)s is already covered by %(po)s (since %(since)s).")
                    % {"org": org, "po": po, "since": current.since}
                }
            )
        if current is not None and until is None and current.since <= since:
            raise _already_covered_error(org, current)
    clash = links.filter(overlap_q(since, until), organization=org).order_by("since").first()
    if clash is not None:
        raise ValidationError(
            {
                "since": _(
                    "%(org)s is already covered over %(span)s by %(link)s, which overlaps the new link "
                    "(%(new)s); an organization has one active link at a time. End or correct that link "
                    "first."
                )
                % {
                    "org": org,
                    "span": span(clash.since, clash.until),
                    "link": describe_link(clash),
                    "new": span(since, until),
                }
            },
            code="overlap",
        )
    if po.building_mode == Mode.SINGLE:
        other = (
            links.filter(overlap_q(since, until), party_organization=po)
            .exclude(organization=org)
            .order_by("since")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "party_organization": _(
                        "%(po)s is built in single mode and already covers %(other)s over %(span)s "
                        "(%(link)s); a single-mode organization covers exactly one organization. End that "
                        "link first, or choose a joint or fallback branch."
                    )
                    % {
                        "po": po,
                        "other": other.organization,
                        "span": span(other.since, other.until),
                        "link": describe_link(other),
                    }
                },
                code="single_mode",
            )


def _insert(
    po: PartyOrganization, org: Organization, since: date, note: str, until: date | None = None
) -> CoverageLink:
    link = CoverageLink(
        party_organization=po, organization=org, since=since, until=until, note=(note or "").strip()
    )
    link.full_clean(validate_constraints=False)  # the unique index answers below, in words
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        # Another transaction linked the organization between our check and insert.
        raise _already_covered_error(org, None) from exc
    return link


def coverage_link_create(
    *,
    party_organization: PartyOrganization,
    organization: Organization,
    since: date,
    until: date | None = None,
    note: str = "",
    actor: Actor,
) -> CoverageLink:
    """Cover `organization` by `party_organization` from `since` (until `until`, exclusive, for a
    back-dated link that already ended; empty: still)."""
    require_staff(actor)
    require_visible(actor, party_organization=party_organization, organization=organization)
    with transaction.atomic():
        po, org = _lock(party_organization, organization)
        _check_new_link(po, org, since, until, switching=False)
        return _insert(po, org, since, note, until)


def _end(link: CoverageLink, until: date) -> CoverageLink:
    if link.until is not None:
        raise ValidationError({"until": _("This link already ended on %(date)s.") % {"date": link.until}})
    if until <= link.since:
        raise ValidationError(
            {"until": _("The end date must be after the start date (%(date)s).") % {"date": link.since}}
        )
    if until > timezone.localdate():
        raise ValidationError({"until": _("The end date cannot be in the future.")})
    link.until = until
    link.full_clean()
    link.save(update_fields=["until"])
    return link


def coverage_link_end(*, link: CoverageLink, until: date, actor: Actor) -> CoverageLink:
    """End a link on `until` (exclusive: the organization is no longer covered from that day)."""
    require_staff(actor)
    require_visible(actor, link=link)
    with transaction.atomic():
        fresh = CoverageLink.objects.select_for_update().get(pk=link.pk)
        return _end(fresh, until)


def coverage_link_remove(*, link: CoverageLink, actor: Actor) -> None:
    """Remove a link entered by mistake (staff; django-auditlog records the removal). No other row
    depends on a link (the one-active-link rule only forbids overlaps), so a removal breaks no period:
    the organization's coverage over those days is read again without it."""
    require_staff(actor)
    require_visible(actor, link=link)
    with transaction.atomic():
        _lock(link.party_organization, link.organization)
        CoverageLink.objects.select_for_update().get(pk=link.pk).delete()


def coverage_link_switch(
    *,
    organization: Organization,
    party_organization: PartyOrganization,
    on: date,
    note: str = "",
    actor: Actor,
) -> CoverageLink:
    """Move an organization to another party organization on `on` (e.g. from a joint branch to its
    own single branch): the old link ends and the new one starts on the same day, in one transaction,
    so no day is uncovered or covered twice. Without a current link it simply starts one."""
    require_staff(actor)
    require_visible(actor, party_organization=party_organization, organization=organization)
    with transaction.atomic():
        po, org = _lock(party_organization, organization)
        current = (
            CoverageLink.objects.select_for_update(of=("self",))
            .filter(organization=org, until__isnull=True)
            .select_related("party_organization")
            .first()
        )
        if current is not None and current.party_organization_id == po.pk:
            raise ValidationError(
                {"party_organization": _("%(org)s is already covered by %(po)s.") % {"org": org, "po": po}}
            )
        if current is not None:
            require_visible(actor, link=current)
            if on <= current.since:
                raise ValidationError(
                    {
                        "on": _(
                            "The switch date must be after the current link to %(po)s started (%(date)s)."
                        )
                        % {"po": current.party_organization, "date": current.since}
                    }
                )
            _end(current, on)
        _check_new_link(po, org, on, switching=True)
        return _insert(po, org, on, note)


def coverage_link_correct(
    *, link: CoverageLink, since: date, until: date | None, note: str | None = None, actor: Actor
) -> CoverageLink:
    """Correct a link's dates (a typo in the history, or a period learnt later): the new period is
    checked like a new link's, against every other row. django-auditlog keeps the old values."""
    require_staff(actor)
    require_visible(actor, link=link)
    with transaction.atomic():
        po, org = _lock(link.party_organization, link.organization)
        row = CoverageLink.objects.select_for_update().get(pk=link.pk)
        _check_new_link(po, org, since, until, switching=True, exclude_pk=row.pk)
        row.since, row.until = since, until
        if note is not None:
            row.note = note.strip()
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save(update_fields=["since", "until", "note"])
        except IntegrityError as exc:
            raise _already_covered_error(org, None) from exc
        return row
