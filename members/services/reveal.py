"""The one way to see a full ID number or phone: a deliberate, audited reveal.

Who may reveal: superusers, and district/street staff for members inside their
region subtree. Secretaries may not: they keep their members with the masked
values (they hold the paper files anyway), so a leaked portal session shows no
full number. Every reveal writes a RevealLog row (who, whom, which field, why,
from where) in the same transaction that reads the value.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

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
