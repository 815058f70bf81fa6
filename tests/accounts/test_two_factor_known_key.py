"""otp_enrol_known_key: the demo's documented second factor goes through the enrolment's own steps
(issue 16), a command's path only; the documented code works at once for the first login."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_TOTP_KEY, demo_totp_code
from accounts.two_factor.services import otp_enrol_known_key
from tests.accounts.factories import PASSWORD
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _second_factor_page(user) -> Client:
    """A client past the password form, at the second factor's page."""
    client = Client(REMOTE_ADDR="10.1.1.1")
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def test_enrolled_like_a_person_the_current_code_left_for_the_first_login(street_staff):
    device = otp_enrol_known_key(user=street_staff, key=DEMO_TOTP_KEY, actor=SYSTEM)
    assert device.confirmed and device.key == DEMO_TOTP_KEY
    assert list(TOTPDevice.objects.filter(user=street_staff)) == [device]
    assert (
        StaticDevice.objects.get(user=street_staff).token_set.count() == 10
    )  # recovery codes, as enrolment gives
    client = _second_factor_page(street_staff)
    assert client.get("/admin/").status_code == 302  # the code is owed
    assert client.post("/accounts/otp/verify/", {"code": demo_totp_code()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_person_may_not_enrol_a_known_key(street_staff, superuser):
    with pytest.raises(ValidationError) as caught:
        otp_enrol_known_key(user=street_staff, key=DEMO_TOTP_KEY, actor=superuser)
    assert caught.value.message_dict == {
        NON_FIELD_ERRORS: [gettext("Only a command may enrol a second factor with a known key.")]
    }
    assert not TOTPDevice.objects.filter(user=street_staff).exists()


def test_a_key_that_is_not_hex_is_refused_on_the_field(street_staff):
    with pytest.raises(ValidationError) as caught:
        otp_enrol_known_key(user=street_staff, key="not a key", actor=SYSTEM)
    assert list(caught.value.message_dict) == ["key"]
    assert not TOTPDevice.objects.filter(user=street_staff).exists()
