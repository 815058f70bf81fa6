"""Two-factor login (TOTP, recovery codes): required for superusers and staff, optional for the others."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import PASSWORD, recovery_codes_for, totp_code, totp_device_for

VERIFY = "/accounts/otp/verify/"
ENROL = "/accounts/otp/enrol/"
TOKEN = "/api/v1/auth/token/"


def _password_login(user, url="/accounts/login/", ip="10.1.1.1") -> Client:
    client = Client(REMOTE_ADDR=ip)
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_staff_password_alone_reaches_nothing_but_the_code_page(street_staff):
    totp_device_for(street_staff)
    client = _password_login(street_staff, "/admin/login/")

    admin = client.get("/admin/")
    portal = client.get("/portal/")
    api = client.get("/api/v1/organizations/")

    assert admin.status_code == 302 and admin["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert portal.status_code == 302 and portal["Location"].startswith(VERIFY)
    assert api.status_code == 403
    assert "Two-factor" in api.json()["detail"]
    assert client.get(VERIFY).status_code == 200


def test_superuser_password_alone_is_refused_the_admin(superuser):
    totp_device_for(superuser)
    client = _password_login(superuser, "/admin/login/")

    assert client.get("/admin/accounts/user/").status_code == 302


def test_staff_valid_code_opens_admin_and_portal(street_staff):
    device = totp_device_for(street_staff)
    client = _password_login(street_staff, "/admin/login/")

    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/portal/").status_code == 200


def test_staff_wrong_or_old_code_refused_with_a_field_error(street_staff):
    device = totp_device_for(street_staff)
    client = _password_login(street_staff)

    wrong = client.post(VERIFY, {"code": "000000"})
    old = client.post(VERIFY, {"code": totp_code(device, at=timezone.now() - timedelta(minutes=5))})

    for response in (wrong, old):
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
    assert client.get("/admin/").status_code == 302


def test_staff_code_guessing_is_rate_limited(street_staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp_failures": "3/15m"}
    device = totp_device_for(street_staff)
    client = _password_login(street_staff)
    for n in range(3):
        client.post(VERIFY, {"code": f"00000{n}"})

    response = client.post(VERIFY, {"code": totp_code(device)})

    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_recovery_code_works_once(street_staff):
    totp_device_for(street_staff)
    [code, *_] = recovery_codes_for(street_staff)
    first = _password_login(street_staff)
    second = _password_login(street_staff, ip="10.2.2.2")

    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert first.get("/admin/").status_code == 200
    reused = second.post(VERIFY, {"code": code})
    assert reused.status_code == 200
    assert "code" in reused.context["form"].errors
    assert second.get("/admin/").status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()


def test_staff_without_device_enrols_with_a_local_qr_code_and_gets_recovery_codes(district_staff):
    client = _password_login(district_staff)

    assert client.get(VERIFY)["Location"].startswith(ENROL)
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "<svg" in page.text  # drawn by segno on the server: no request leaves the intranet
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=district_staff, confirmed=False)
    assert device.config_url.split("secret=")[1].startswith(secret)

    wrong = client.post(ENROL, {"code": "000000"})
    assert "code" in wrong.context["form"].errors
    later = timezone.now() + timedelta(seconds=5)  # django-otp throttles a device after a failure
    with time_machine.travel(later, tick=False):
        done = client.post(ENROL, {"code": totp_code(device, at=later)})

    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_enrol_refused_to_a_password_only_session_of_a_user_with_a_device(street_staff):
    """A stolen password alone must not add the thief's phone."""
    totp_device_for(street_staff)
    client = _password_login(street_staff)

    response = client.get(ENROL)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=street_staff, confirmed=False).exists()


def test_secretary_without_device_logs_in_with_password_only(secretary):
    client = _password_login(secretary)

    assert client.get("/portal/").status_code == 200


def test_secretary_who_enrolled_must_give_the_code(secretary):
    device = totp_device_for(secretary)
    client = _password_login(secretary)

    assert client.get("/portal/").status_code == 302
    client.post(VERIFY, {"code": totp_code(device)})
    assert client.get("/portal/").status_code == 200


def test_secretary_can_enrol_from_the_portal(secretary):
    client = _password_login(secretary)

    assert "accounts/otp/enrol/" in client.get("/accounts/otp/").text
    assert client.get(ENROL).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(street_staff):
    totp_device_for(street_staff)
    old = recovery_codes_for(street_staff)
    client = _password_login(street_staff)
    client.post(VERIFY, {"code": old[0]})

    response = client.post("/accounts/otp/recovery-codes/")

    assert response.status_code == 200
    new = response.context["codes"]
    assert not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=street_staff).values_list("token", flat=True)) == set(
        new
    )


def test_otp_pages_anonymous_go_to_login(db):
    for url in ("/accounts/otp/", VERIFY, ENROL):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Client().post("/accounts/otp/recovery-codes/").status_code == 302


# The API token endpoint asks for the second factor too.
def test_api_token_staff_without_code_refused_naming_the_otp_field(street_staff):
    totp_device_for(street_staff)

    response = Client().post(TOKEN, {"username": street_staff.username, "password": PASSWORD})

    assert response.status_code == 400
    assert list(response.json()) == ["otp"]


def test_api_token_staff_with_code_gets_token(street_staff):
    device = totp_device_for(street_staff)

    response = Client().post(
        TOKEN, {"username": street_staff.username, "password": PASSWORD, "otp": totp_code(device)}
    )

    assert response.status_code == 200
    assert response.json()["token"]


def test_api_token_secretary_without_device_needs_no_code(secretary):
    response = Client().post(TOKEN, {"username": secretary.username, "password": PASSWORD})

    assert response.status_code == 200


# The test client's force_login stands for a complete login (tests/conftest.py) unless marked.
def test_force_login_fixture_counts_as_verified(street_staff):
    client = Client()
    client.force_login(street_staff)

    assert client.get("/admin/").status_code == 200


@pytest.mark.otp_unverified
def test_force_login_marked_unverified_owes_the_code(street_staff):
    client = Client()
    client.force_login(street_staff)

    assert client.get("/admin/").status_code == 302


def test_demo_staff_get_the_documented_totp_device(regions):
    from django.core.management import call_command

    from accounts.demo import DEMO_TOTP_KEY, demo_totp_code, seed_totp_device
    from tests.accounts.factories import UserFactory

    staff = UserFactory(username="demo_staff", role="staff", is_staff=True, scope_region=regions.district)
    secretary = UserFactory(username="demo_secretary", role="secretary")
    seed_totp_device(staff)
    seed_totp_device(secretary)

    assert TOTPDevice.objects.get(user=staff).key == DEMO_TOTP_KEY
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    client = _password_login(staff)
    assert client.post(VERIFY, {"code": demo_totp_code()}).status_code == 302
    import io

    out = io.StringIO()
    call_command("demo_otp_code", stdout=out)
    assert re.fullmatch(r"\d{6}\n", out.getvalue())


def test_code_from_a_phone_whose_clock_is_right_works_across_a_time_step(street_staff):
    device = totp_device_for(street_staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _password_login(street_staff)
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        response = client.post(VERIFY, {"code": totp_code(device, at=start + timedelta(seconds=40))})

    assert response.status_code == 302
