"""Writes for accounts: users and the notifications inbox."""

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.actors import Actor, SystemActor, is_unrestricted
from accounts.models import Notification, Role, User
from accounts.scoping import ensure_visible
from orgs.models import Region

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import Group, Permission

    from branches.models import PartyOrganization
    from orgs.models import Organization


def api_tokens_revoke(*, user: User) -> int:
    """Revoke every API token of `user` (password change, "log out everywhere"); returns how many."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def notification_send(
    *, recipient: User, title: str, body: str = "", url: str = "", level: str = "info", dedupe_key: str = ""
) -> tuple[Notification, bool]:
    """Deliver to an inbox once: with a dedupe key, a second send returns the first row.

    Safe under concurrent senders: the unique constraint decides, not a prior read.
    """
    if dedupe_key:
        existing = Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing, False
    notification = Notification(
        recipient=recipient, title=title, body=body, url=url, level=level, dedupe_key=dedupe_key
    )
    notification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if not dedupe_key:
            raise
        return Notification.objects.get(recipient=recipient, dedupe_key=dedupe_key), False
    return notification, True


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


# Which link each role keeps: staff their scope region (required), a secretary their party
# organization, an org contact their organization (those two may be linked later).
ROLE_LINKS: dict[str, str | None] = {
    Role.STAFF: "scope_region",
    Role.SECRETARY: "party_organization",
    Role.ORG_CONTACT: "organization",
    Role.NONE: None,
}


def _role_errors(user: User) -> dict[str, list[str]]:
    """What the role asks of an account (being created or changed), each error on its field: staff
    need a scope region, a role's link fields are refused on another role, a superuser has no role."""
    errors: dict[str, list[str]] = {}
    role = user.role
    if role not in ROLE_LINKS:
        errors["role"] = [_("Choose a role.")]
    else:
        own = ROLE_LINKS[role]
        if role == Role.STAFF and user.scope_region_id is None:
            errors["scope_region"] = [_("Staff need a scope region: the region whose data they keep.")]
        for field in ("scope_region", "party_organization", "organization"):
            if field != own and getattr(user, f"{field}_id") is not None:
                link = User._meta.get_field(field)
                assert isinstance(link, models.ForeignKey)  # the three links are foreign keys
                errors[field] = [
                    _("A %(role)s has no %(field)s.") % {"role": Role(role).label, "field": link.verbose_name}
                ]
    if user.is_superuser and role != Role.NONE:
        errors["role"] = [_("A superuser has no role: leave it at “No role”.")]
    return errors


def _require_user_manager(actor: "User | SystemActor") -> None:
    """Users are created by the system (a command) or a superuser: the users admin grants no scope."""
    if not is_unrestricted(actor):
        raise ValidationError({NON_FIELD_ERRORS: _("Only a superuser may create users.")}, code="not_allowed")


# What the users admin's change page may change; the password has its own form (set_password).
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_active",
    "is_superuser",
    "role",
    "scope_region",
    "party_organization",
    "organization",
)


@transaction.atomic
def user_update(
    *,
    user: User,
    actor: "User | SystemActor",
    groups: "Iterable[Group] | None" = None,
    user_permissions: "Iterable[Permission] | None" = None,
    **fields: object,
) -> User:
    """Change an account: its names, contact, state, role and the scope and links that go with it,
    checked as `user_create` checks them (staff need a scope region, a role's links are refused on
    another role, a superuser has no role; `is_staff` follows the role), each error on its field.
    `groups` / `user_permissions`: the account's permission sets (None: unchanged). A superuser or
    the system only, as for creation; superusers never lose their own superuser status here (no one
    locks themselves out). Audited as every user change (the change log, accounts.audit)."""
    if not is_unrestricted(actor):
        raise ValidationError({NON_FIELD_ERRORS: _("Only a superuser may change users.")}, code="not_allowed")
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update() got unexpected fields: {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    for field, value in fields.items():
        setattr(user, field, value.strip() if field == "username" and isinstance(value, str) else value)
    errors = _role_errors(user)
    if User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        errors["username"] = [_("A user with this username already exists.")]
    if isinstance(actor, User) and actor.pk == user.pk and not user.is_superuser:
        errors["is_superuser"] = [_("You cannot take away your own superuser status.")]
    if errors:
        raise ValidationError(errors)
    user.is_staff = user.is_superuser or user.role == Role.STAFF
    user.full_clean(exclude=["password"])
    user.save()
    if groups is not None:
        user.groups.set(groups)
    if user_permissions is not None:
        user.user_permissions.set(user_permissions)
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    actor: "User | SystemActor",
    role: str = Role.NONE,
    scope_region: Region | None = None,
    party_organization: "PartyOrganization | None" = None,
    organization: "Organization | None" = None,
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create an account with its role and the scope that goes with it, the password checked by the
    platform's validators. Staff need a scope region (and get the admin); a role's link fields are
    refused on another role; a superuser has no role. Errors name the field."""
    _require_user_manager(actor)
    user = User(
        username=(username or "").strip(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        scope_region=scope_region,
        party_organization=party_organization,
        organization=organization,
        is_superuser=is_superuser,
        is_staff=is_superuser or role == Role.STAFF,
    )
    errors = _role_errors(user)
    if User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = [_("A user with this username already exists.")]
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _require_link_manager(actor: Actor) -> None:
    """Staff (district or street) or the system: who keeps the portal's people and their links."""
    if is_unrestricted(actor):
        return
    if not getattr(actor, "is_platform_staff", False):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Only district or street staff may change a user's links.")},
            code="not_staff",
        )


@transaction.atomic
def user_links_set(
    *,
    user: User,
    actor: Actor,
    organization: "Organization | None" = None,
    party_organization: "PartyOrganization | None" = None,
) -> User:
    """Link an org contact to the one organization they keep in the portal, or a secretary to their
    party organization (None: unlinked). Both links are set as given.

    Staff only, inside their scope like every admin form (accounts.scoping.ensure_visible): the new
    organization or party organization, and the one the user keeps now, must be the actor's; staff
    never change another staff member's or a superuser's account. A role's link is refused on another
    role, naming the field. Audited as every user change (the change log, accounts.audit)."""
    _require_link_manager(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not is_unrestricted(actor) and (user.is_superuser or user.role == Role.STAFF):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Staff may change the links of secretaries and org contacts only.")},
            code="out_of_scope",
        )
    errors: dict[str, list[str]] = {}
    own = ROLE_LINKS.get(user.role)
    for field, value in (("organization", organization), ("party_organization", party_organization)):
        if value is not None and field != own:
            link = User._meta.get_field(field)
            assert isinstance(link, models.ForeignKey)  # the links are foreign keys
            errors[field] = [
                _("A %(role)s has no %(field)s.")
                % {"role": Role(user.role).label, "field": link.verbose_name}
            ]
    if errors:
        raise ValidationError(errors)
    if not is_unrestricted(actor):
        ensure_visible(organization, actor, field_label="organization")
        ensure_visible(party_organization, actor, field_label="party_organization")
        # what the user keeps now is the actor's too: nobody takes over another scope's contact
        ensure_visible(user.organization, actor, field_label="organization")
        ensure_visible(user.party_organization, actor, field_label="party_organization")
    changed = [
        field
        for field, value in (("organization", organization), ("party_organization", party_organization))
        if getattr(user, f"{field}_id") != (value.pk if value is not None else None)
    ]
    if changed:
        user.organization, user.party_organization = organization, party_organization
        user.full_clean(exclude=["password"], validate_constraints=False)  # the role is unchanged
        user.save(update_fields=changed)
    return user
