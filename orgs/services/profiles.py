"""The part of an organization's record its own contact keeps (portal, and later the API).

Identity and registry facts — name, USCC, kind, registration, registering authority,
supervisor, region, management mode, dates, status and the legal representative (a
change of legal representative is itself a registration the civil-affairs bureau
approves) — stay with district staff (orgs.services.organizations). The contact keeps
how the organization presents itself and how it is reached.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from accounts.models import Role
from orgs.images import clean_uploaded_image
from orgs.models import Organization

PROFILE_FIELDS = (
    "short_name",
    "address",
    "contact_phone",
    "website",
    "description",
    "logo",
    "staff_count",
)
DESCRIPTION_MAX_CHARS = 2000

# Mainland mobile, landline with area code (optional extension), and 400/800 service numbers.
PHONE_PATTERNS = (
    re.compile(r"^1[3-9]\d{9}$"),
    re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$"),
    re.compile(r"^[48]00-?\d{3}-?\d{4}$"),
)


def actor_keeps_organization(actor: Actor, organization: Organization) -> bool:
    """Its own contact, staff whose region holds it, or a superuser; never the public or a secretary."""
    if is_unrestricted(actor):
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    if not (actor.is_superuser or actor.role in (Role.STAFF, Role.ORG_CONTACT)):
        return False
    return Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()


def _tidy_phone(value: str) -> str:
    """The display form kept (a landline's hyphen stays); the lookup hash normalises further
    (config.personal_data.phones, the one normalisation every phone hash uses)."""
    return re.sub(r"[\s()（）]", "", (value or "").replace("－", "-").replace("—", "-"))


def clean_contact_phone(value: str) -> str:
    """Normalised phone, or ValidationError keyed by contact_phone (the form shares it)."""
    phone = _tidy_phone(value)
    if phone and not any(p.match(phone) for p in PHONE_PATTERNS):
        raise ValidationError(
            {
                "contact_phone": _(
                    "Enter an 11-digit mobile number or a landline with its area code, e.g. 0573-85123456."
                )
            }
        )
    return phone


def _clean_website(value: str) -> str:
    url = (value or "").strip()
    if url and "://" not in url:
        url = f"https://{url}"
    return url


def _clean_logo(value):
    """A new upload is checked and re-encoded; False/None/"" clears; an existing file stays."""
    if value in (None, False, ""):
        return ""
    if isinstance(value, UploadedFile) or not getattr(value, "_committed", True):
        try:
            return clean_uploaded_image(value, max_side=settings.ORG_LOGO_MAX_SIDE)
        except ValidationError as exc:
            raise ValidationError({"logo": exc.error_list}) from None
    return value


@transaction.atomic
def organization_update_profile(*, organization: Organization, actor: Actor, **fields: Any) -> Organization:
    """Change the contact-kept fields of `organization`; anything else is a programming error.

    All fields are validated together (full_clean) before anything is written, so a
    bad value leaves the row as it was. A replaced logo file is deleted after commit.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"organization_update_profile() does not change {sorted(unknown)}")
    if not actor_keeps_organization(actor, organization):
        raise PermissionDenied(_("You may only change your own organization's profile."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is no longer active; its profile can no longer be changed.")
            % {"name": organization.name}
        )

    errors: dict[str, list] = {}
    cleaned = {}
    for name, value in fields.items():
        try:
            if name == "contact_phone":
                cleaned[name] = clean_contact_phone(value)
            elif name == "website":
                cleaned[name] = _clean_website(value)
            elif name == "logo":
                cleaned[name] = _clean_logo(value)
            elif name == "description":
                text = (value or "").strip()
                if len(text) > DESCRIPTION_MAX_CHARS:
                    raise ValidationError(
                        {
                            name: _("At most %(n)d characters (this text has %(len)d).")
                            % {"n": DESCRIPTION_MAX_CHARS, "len": len(text)}
                        }
                    )
                cleaned[name] = text
            elif isinstance(value, str):
                cleaned[name] = value.strip()
            else:
                cleaned[name] = value
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    old_logo = organization.logo.name if organization.logo else ""
    for name, value in cleaned.items():
        setattr(organization, name, value)
    # full_clean names every other bad field (type, length, URL, negative staff count), so
    # the user sees all problems at once; fields the contact does not keep, or already
    # refused above, are not judged here (staff own the former).
    try:
        organization.full_clean(
            exclude=[
                f.name
                for f in Organization._meta.concrete_fields
                if f.name not in cleaned or f.name in errors
            ]
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    organization.save(update_fields=[*cleaned, "updated_at"])

    new_logo = organization.logo.name if organization.logo else ""
    if "logo" in cleaned and old_logo and old_logo != new_logo:
        storage = organization.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organization
