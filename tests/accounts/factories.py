from typing import cast

import factory

from accounts.models import Notification, User
from tests.factory_types import ModelFactory

PASSWORD = "Correct-Horse-42"


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Faker("last_name", locale="zh_CN")
    first_name = factory.Faker("first_name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        user = cast(User, self)  # post_generation hands in the model instance
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])


class NotificationFactory(ModelFactory[Notification]):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"提醒事项 {n}")
    body = "请及时处理。"


def totp_device_for(user, *, key: str | None = None):
    """A confirmed authenticator-app device for `user` (the demo key by default)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.demo import DEMO_TOTP_KEY

    return TOTPDevice.objects.create(
        user=user, name="authenticator", confirmed=True, key=key or DEMO_TOTP_KEY
    )


def totp_code(device, *, at=None) -> str:
    """The code the app shows now (or at the datetime `at`)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp() if at is not None else time.time()
    return f"{totp.token():0{device.digits}d}"


def recovery_codes_for(user, codes=("rc-one-1111", "rc-two-2222", "rc-three-3333")) -> list[str]:
    from accounts.two_factor.services import otp_recovery_codes_issue

    return otp_recovery_codes_issue(user=user, codes=list(codes))


def fresh_recovery_code(user) -> str:
    """A new one-time recovery code for `user` (any number per test, unlike a TOTP code per 30 s)."""
    import secrets

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    code = f"t{secrets.token_hex(6)}"
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery codes", defaults={"confirmed": True}
    )
    StaticToken.objects.create(device=device, token=code)
    return code


def pass_second_factor(client, user) -> None:
    """Complete a form login's second step with a fresh recovery code."""
    response = client.post("/accounts/otp/verify/", {"code": fresh_recovery_code(user)})
    assert response.status_code == 302, response.content


def api_token_for(user, client=None) -> str:
    """A token from the real endpoint: password, and a second factor when the user needs one."""
    from django.test import Client

    from accounts.two_factor.policy import otp_needed

    data = {"username": user.username, "password": PASSWORD}
    if otp_needed(user):
        data["otp"] = fresh_recovery_code(user)
    response = (client or Client()).post("/api/v1/auth/token/", data)
    assert response.status_code == 200, response.content
    return response.json()["token"]
