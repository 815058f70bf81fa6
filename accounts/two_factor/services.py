"""Writes for two-factor login: enrolment, verification, recovery codes."""

import time
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actors import Actor, is_system, require_actor

if TYPE_CHECKING:
    from accounts.models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def otp_enrolment_device(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (a new secret on the first call, the same after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def otp_enrolment_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm `device` with a code from the app; returns fresh recovery codes, or None if the code is wrong.

    The new device replaces any earlier one (a new phone); the recovery codes are replaced too.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(code.strip()):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return otp_recovery_codes_issue(user=user)


@transaction.atomic
def otp_recovery_codes_issue(*, user, codes: list[str] | None = None) -> list[str]:
    """Replace the user's recovery codes with new ones (each works once); returns them to show once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = codes or [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def otp_match(*, user, code: str):
    """The confirmed device (TOTP or recovery codes) that accepts `code`, or None.

    A recovery code is used up by this call; django-otp throttles each device after failures.
    """
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def otp_enrol_known_key(*, user: "User", key: str, actor: Actor) -> TOTPDevice:
    """Enrol a TOTP device whose secret is known beforehand (the demo's documented key) the way a person
    does at the enrolment page, without a browser: an unconfirmed device, then `otp_enrolment_confirm`
    with a code of that key (which replaces any earlier device and issues recovery codes).

    A command's path only (a system actor): a secret someone else knows is never a real user's second
    factor. The code used to confirm is the previous time step's, as a person types the code shown a
    moment ago: the current one stays unused for the first login (django-otp refuses a code twice).
    """
    require_actor(actor)
    if not is_system(actor):
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Only a command may enrol a second factor with a known key.")},
            code="not_allowed",
        )
    device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=False, key=key)
    device.full_clean()  # the key: hex, of a length the model accepts
    device.save()
    for _attempt in range(2):  # a second try when the time step turned between the code and its check
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() - device.step
        if (
            otp_enrolment_confirm(user=user, device=device, code=f"{totp.token():0{device.digits}d}")
            is not None
        ):
            return TOTPDevice.objects.get(pk=device.pk)
        device.refresh_from_db()
    raise ValidationError({"key": _("The key's code was refused: check the server's clock.")}, code="refused")
