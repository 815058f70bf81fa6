"""Writes to Organization: create, update, change status. Nothing else saves an Organization.

The status is a dated history (orgs.services.status_history); the status columns mirror its
latest row.

`actor` is the user on whose behalf the write happens; None means the system
(a management command or the demo seeder) and skips the scope check. A staff
actor may only write orgs inside their region and only place them inside it.
"""

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_system, require_actor
from orgs.images import clean_uploaded_image
from orgs.models import Organization, Region
from orgs.uscc import validate_uscc

# Fields organization_create/update accept; status goes through organization_set_status.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "kind",
        "registration",
        "uscc",
        "registering_authority",
        "authority_division_code",
        "supervisor",
        "industry",
        "management_mode",
        "region",
        "established_on",
        "registered_on",
        "legal_representative",
        "contact_phone",
        "address",
        "staff_count",
        "website",
        "description",
        "logo",
        "is_public",
    }
)
STRIPPED_FIELDS = ("name", "short_name", "registering_authority", "supervisor", "industry", "address")


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Organization fields not editable here: {sorted(unknown)}")


def check_registry_actor(actor: Actor, organization: Organization | None = None) -> None:
    """Registry writes are for district/street staff (or the system, a SystemActor), on orgs they see.

    An org contact keeps its profile through orgs.services.profiles instead.
    """
    require_actor(actor)
    if is_system(actor):
        return
    if not getattr(actor, "is_platform_staff", False):
        raise PermissionDenied(_("Only district or street staff change the registry."))
    pk: Any = getattr(organization, "pk", None)
    in_scope = Organization.objects.visible_to(actor).filter(pk=pk)
    if organization is not None and organization.pk is not None and not in_scope.exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This organization is outside your scope.")}, code="out_of_scope"
        )


def _check_region(region: Region | None, actor: Actor) -> dict:
    if region is None:
        return {}  # full_clean reports the missing region
    if region.kind not in (Region.Kind.STREET, Region.Kind.COMMUNITY):
        return {
            "region": _("Choose a street/town or a community/village, not a %(level)s.")
            % {"level": region.get_kind_display()}
        }
    if not is_system(actor) and not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        return {
            "region": _("%(region)s is outside your scope: choose a street or community of your own.")
            % {"region": region.name}
        }
    return {}


def _normalise_codes(organization: Organization | SimpleNamespace) -> dict:
    """Validate the USCC against the kind and fill or check the authority's division code."""
    errors: dict[str, str | list[str]] = {}
    if organization.registration == Organization.Registration.FILED:
        if organization.uscc:
            errors["uscc"] = _("A filed organization has no unified social credit code; leave it empty.")
        organization.uscc = None
        if organization.kind and organization.kind != Organization.Kind.COMMUNITY:
            errors["kind"] = _("Only a community social organization can be filed instead of registered.")
        return errors
    try:
        organization.uscc = validate_uscc(organization.uscc or "", kind=organization.kind or None)
    except ValidationError as exc:
        errors["uscc"] = exc.messages
        return errors
    division = organization.uscc[2:8]
    if not organization.authority_division_code:
        organization.authority_division_code = division
    elif organization.authority_division_code != division:
        errors["authority_division_code"] = _(
            "The registering authority's division code %(code)s does not agree with characters 3–8 "
            "of the unified social credit code (%(division)s)."
        ) % {"code": organization.authority_division_code, "division": division}
    return errors


def _clean_logo(organization: Organization) -> dict:
    """A new upload is checked by content and re-encoded (EXIF stripped) before it is stored."""
    logo = organization.logo
    if logo and not getattr(logo, "_committed", True):
        try:
            organization.logo = clean_uploaded_image(logo.file, max_side=settings.ORG_LOGO_MAX_SIDE)
        except ValidationError as exc:
            return {"logo": exc.messages}
    return {}


def organization_validate(organization: Organization, *, actor: Actor) -> None:
    """The checks beyond full_clean (USCC against the kind, division code, region level and scope),
    raised as one ValidationError naming each field. Normalises the instance in place; the admin
    form calls it so the user sees the errors on the fields before anything is saved."""
    require_actor(actor)
    for name in STRIPPED_FIELDS:
        setattr(organization, name, (getattr(organization, name) or "").strip())
    errors = _normalise_codes(organization)
    errors |= _check_region(organization.region if organization.region_id else None, actor)
    if errors:
        raise ValidationError(errors)


def _clean_and_save(organization: Organization, actor: Actor) -> Organization:
    organization_validate(organization, actor=actor)
    errors = _clean_logo(organization)
    if errors:
        raise ValidationError(errors)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_create(*, actor: Actor, **fields: Any) -> Organization:
    """Create an organization; USCC normalised and checked against the kind, region in scope."""
    # status_history imports this module
    from orgs.services.status_history import status_history_start

    _check_fields(fields)
    check_registry_actor(actor)
    organization = _clean_and_save(Organization(**fields), actor)
    status_history_start(organization, actor=actor)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor: Actor, **fields: Any) -> Organization:
    """Change the given fields of an organization the actor can see (row locked meanwhile)."""
    _check_fields(fields)
    check_registry_actor(actor, organization)
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    # status_history imports this module
    from orgs.services.status_history import status_history_follow_registration

    for name, value in fields.items():
        setattr(locked, name, value)
    _clean_and_save(locked, actor)
    if "registered_on" in fields or "established_on" in fields:
        status_history_follow_registration(locked)
    organization.refresh_from_db()
    return locked


@transaction.atomic
def organization_set_status(
    *, organization: Organization, status: str, on: date, actor: Actor
) -> Organization:
    """Deregister, revoke or reinstate an organization as of `on`: a row of its status history
    (orgs.services.status_history), at its place among the others whatever the order of entry."""
    from orgs.services.status_history import (
        KIND_OF_STATUS,
        organization_status_record,
    )  # it imports this module

    check_registry_actor(actor, organization)
    if status not in Organization.Status.values:
        raise ValidationError({"status": _("“%(status)s” is not a status.") % {"status": status}})
    if on is None:
        raise ValidationError({"status_changed_on": _("Give the date the status changed.")})
    if on > timezone.localdate():
        raise ValidationError(
            {"status_changed_on": _("The date the status changed cannot be in the future.")}
        )
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if locked.registered_on and on < locked.registered_on:
        raise ValidationError(
            {
                "status_changed_on": _(
                    "The date the status changed cannot be before the registration date (%(date)s)."
                )
                % {"date": locked.registered_on.isoformat()}
            }
        )
    try:
        organization_status_record(organization=locked, kind=KIND_OF_STATUS[status], on=on, actor=actor)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "on" in exc.error_dict:
            errors = dict(exc.error_dict)
            errors["status_changed_on"] = errors.pop("on")
            raise ValidationError(errors) from None
        raise
    organization.refresh_from_db()
    locked.refresh_from_db()
    return locked
