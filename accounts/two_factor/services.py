"""Writes for two-factor login: enrolment, verification, recovery codes."""

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
