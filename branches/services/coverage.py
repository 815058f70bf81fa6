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
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import CoverageLink, PartyOrganization
from branches.services.scope import require_staff, require_visible
from orgs.models import Organization

Mode = PartyOrganization.BuildingMode


def _lock(party_organization: PartyOrganization, organization: Organization):
    po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    return po, org


def _already_covered_error(org: Organization, current: CoverageLink) -> ValidationError:
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


def _check_new_link(po: PartyOrganization, org: Organization, since: date, *, switching: bool) -> None:
    """Every refusal of a new link, in the words a form shows next to the field."""
    if po.status != PartyOrganization.Status.ACTIVE:
        raise ValidationError(
            {
                "party_organization": _("%(po)s is dissolved; choose an active party organization.")
                % {"po": po}
            }
        )
    if po.kind == PartyOrganization.Kind.COMPREHENSIVE_COMMITTEE:
        raise ValidationError(
            {
                "party_organization": _(
                    "A comprehensive committee covers organizations through its branches: choose a branch "
                    "(its fallback branch for an organization that can build none)."
                )
            }
        )
    if org.status != Organization.Status.ACTIVE:
        raise ValidationError(
            {
                "organization": _(
                    "%(org)s is deregistered or revoked; only active organizations can be covered."
                )
                % {"org": org}
            }
        )
    if since > timezone.localdate():
        raise ValidationError({"since": _("The start date cannot be in the future.")})
    if po.founded_on and since < po.founded_on:
        raise ValidationError(
            {
                "since": _("The link cannot start before %(po)s was founded (%(date)s).")
                % {"po": po, "date": po.founded_on}
            }
        )
    if not switching:
        current = (
            CoverageLink.objects.filter(organization=org, until__isnull=True)
            .select_related("party_organization")
            .first()
        )
        if current is not None and current.party_organization_id == po.pk:
            raise ValidationError(
                {
                    "organization": _("%(org)s is already covered by %(po)s (since %(since)s).")
                    % {"org": org, "po": po, "since": current.since}
                }
            )
        if current is not None:
            raise _already_covered_error(org, current)
    later = (
        CoverageLink.objects.filter(organization=org, until__gt=since)
        .select_related("party_organization")
        .order_by("-until")
        .first()
    )
    if later is not None:
        raise ValidationError(
            {
                "since": _(
                    "%(org)s was covered by %(po)s until %(until)s; a new link cannot start before that."
                )
                % {"org": org, "po": later.party_organization, "until": later.until}
            }
        )
    if po.building_mode == Mode.SINGLE:
        other = (
            CoverageLink.objects.filter(party_organization=po, until__isnull=True)
            .exclude(organization=org)
            .select_related("organization")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "party_organization": _(
                        "%(po)s is built in single mode and already covers %(other)s; a single-mode "
                        "organization covers exactly one organization. End that link first, or choose "
                        "a joint or fallback branch."
                    )
                    % {"po": po, "other": other.organization}
                }
            )


def _insert(po: PartyOrganization, org: Organization, since: date, note: str) -> CoverageLink:
    link = CoverageLink(party_organization=po, organization=org, since=since, note=(note or "").strip())
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
    note: str = "",
    actor=None,
) -> CoverageLink:
    """Start covering `organization` by `party_organization` on `since`."""
    require_staff(actor)
    require_visible(actor, party_organization=party_organization, organization=organization)
    with transaction.atomic():
        po, org = _lock(party_organization, organization)
        _check_new_link(po, org, since, switching=False)
        return _insert(po, org, since, note)


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


def coverage_link_end(*, link: CoverageLink, until: date, actor=None) -> CoverageLink:
    """End a link on `until` (exclusive: the organization is no longer covered from that day)."""
    require_staff(actor)
    require_visible(actor, link=link)
    with transaction.atomic():
        fresh = CoverageLink.objects.select_for_update().get(pk=link.pk)
        return _end(fresh, until)


def coverage_link_switch(
    *,
    organization: Organization,
    party_organization: PartyOrganization,
    on: date,
    note: str = "",
    actor=None,
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
