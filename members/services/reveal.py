"""The one way to see a full ID number or phone: a deliberate, audited reveal.

Who may reveal: superusers, and district/street staff for members inside their
region subtree. Secretaries may not: they keep their members with the masked
values (they hold the paper files anyway), so a leaked portal session shows no
full number. Every reveal writes a RevealLog row (who, whom, which field, why,
from where) in the same transaction that reads the value.

An exact-match lookup by ID number or phone is a reveal too (a hit confirms the
full number a caller guessed): `member_lookup` is the one way to run one, for the
same roles, rate-limited per user (accounts.ratelimit) and logged, a miss included.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.ratelimit import rate_limit_key
from config.personal_data.phones import clean_phone
from members.id_numbers import normalize_id_number
from members.models import Member, RevealLog

FIELDS = {"id_number": "id_number", "phone": "phone"}


def can_reveal(user, member: Member | None = None) -> bool:
    """Superusers; platform staff for a member inside their scope (any member when `member` is None)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if getattr(user, "role", None) != "staff" or not getattr(user, "is_platform_staff", False):
        return False
    if member is None:
        return True
    return Member.objects.visible_to(user).filter(pk=member.pk).exists()


@sensitive_variables("value")
@transaction.atomic
def member_reveal(*, member: Member, field: str, user, reason: str, ip_address: str | None = None) -> str:
    """The full value of `field` ("id_number" or "phone"), after recording who asked and why."""
    if field not in FIELDS:
        raise ValidationError({"field": _("Only the ID number or the phone can be revealed.")})
    if not Member.objects.visible_to(user).filter(pk=member.pk).exists():
        raise Http404
    if not can_reveal(user, member):
        raise PermissionDenied(_("Only district or street staff may reveal full personal data."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the full value is needed; the reason is kept in the log.")}
        )
    RevealLog.objects.create(
        member=member, field=field, user=user, reason=reason[:200], ip_address=ip_address or None
    )
    value = Member.objects.values_list(FIELDS[field], flat=True).get(pk=member.pk)
    return value or ""


LOOKUP_MAX_RESULTS = 5  # an ID number is unique; a phone may be shared by a few people
LOOKUP_FIELDS = {"id_number": "id_number_hash", "phone": "phone_hash"}


@sensitive_variables("value", "number")
@transaction.atomic
def member_lookup(*, user, field: str, value: str, ip_address: str | None = None) -> list[int]:
    """Ids of the members inside `user`'s scope whose `field` ("id_number" or "phone") is exactly `value`.

    Refused (PermissionDenied) to anyone who may not reveal; counted against the user's
    "member_lookup" rate limit (RateLimited when exhausted); one RevealLog row per hit,
    or one without a member for a miss, so repeated guessing shows in the log.
    """
    from members.services.members import id_number_hash, phone_hash  # members imports this module

    if field not in LOOKUP_FIELDS:
        raise ValidationError({"field": _("Only the ID number or the phone can be looked up.")})
    if not can_reveal(user):
        raise PermissionDenied(
            _("Only district or street staff may look a person up by a full ID number or phone.")
        )
    rate_limit_key(group="members.lookup", rate="member_lookup", key=f"user:{user.pk}")
    if field == "id_number":
        number = normalize_id_number(value)
        digest = id_number_hash(number) if number else ""
    else:
        try:
            digest = phone_hash(clean_phone(value))
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    ids = (
        list(
            Member.objects.visible_to(user)
            .filter(**{LOOKUP_FIELDS[field]: digest})
            .order_by("pk")
            .values_list("pk", flat=True)[:LOOKUP_MAX_RESULTS]
        )
        if digest
        else []
    )
    RevealLog.objects.bulk_create(
        [
            RevealLog(member_id=pk, field=f"lookup_{field}", user=user, ip_address=ip_address or None)
            for pk in ([*ids] if ids else [None])
        ]
    )
    return ids
