"""Writes for accounts: users and the notifications inbox."""

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.actors import SystemActor, is_unrestricted
from accounts.models import Notification, Role, User
from orgs.models import Region

if TYPE_CHECKING:
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


def _require_user_manager(actor: "User | SystemActor") -> None:
    """Users are created by the system (a command) or a superuser: the users admin grants no scope."""
    if not is_unrestricted(actor):
        raise ValidationError({NON_FIELD_ERRORS: _("Only a superuser may create users.")}, code="not_allowed")


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
    errors: dict[str, list[str]] = {}
    if role not in ROLE_LINKS:
        errors["role"] = [_("Choose a role.")]
    else:
        own = ROLE_LINKS[role]
        if role == Role.STAFF and scope_region is None:
            errors["scope_region"] = [_("Staff need a scope region: the region whose data they keep.")]
        for field in ("scope_region", "party_organization", "organization"):
            if field != own and getattr(user, field) is not None:
                link = User._meta.get_field(field)
                assert isinstance(link, models.ForeignKey)  # the three links are foreign keys
                errors[field] = [
                    _("A %(role)s has no %(field)s.") % {"role": Role(role).label, "field": link.verbose_name}
                ]
    if is_superuser and role != Role.NONE:
        errors["role"] = [_("A superuser has no role: leave it at “No role”.")]
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
