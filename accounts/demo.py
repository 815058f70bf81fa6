"""Demo accounts for the quick start (never created in production data)."""

import time
from base64 import b32encode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actors import DEMO_SEEDER
from accounts.models import Role, User
from accounts.services import user_create
from accounts.two_factor.policy import otp_mandatory
from accounts.two_factor.services import otp_enrol_known_key
from orgs.models import Region

DEMO_PASSWORD = "Dangjian-2026!"
# The demo staff accounts' second factor: one public TOTP key, for the quick start only. Add it to any
# authenticator app (DEMO_TOTP_SECRET, base32), or run `python manage.py demo_otp_code` for the code.
DEMO_TOTP_KEY = "64616e676a69616e2d64656d6f2d746f74702d31"  # hex of b"dangjian-demo-totp-1"
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()

# username, family name, given name, role, scope region code (None: no scope)
DEMO_USERS = [
    ("admin", "管", "理员", None, None),
    ("district", "王", "建国", Role.STAFF, "330499"),
    ("street", "李", "秀英", Role.STAFF, "330499001"),
    ("secretary", "张", "丽华", Role.SECRETARY, None),
    ("contact", "陈", "志强", Role.ORG_CONTACT, None),
]
DEMO_STAFF, DEMO_STAFF_SCOPE = "district", "330499"  # the demo district's staff account


def seed_users() -> list[tuple[str, str]]:
    """Create the demo accounts once, through accounts.services.user_create (role, scope and the
    password checked); an existing account is left exactly as it is.

    The accounts that must use a second factor (superuser, staff) get the demo TOTP device.
    """

    rows = []
    for username, family, given, role, scope_code in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                last_name=family,
                first_name=given,
                role=role or Role.NONE,
                is_superuser=role is None,
                scope_region=Region.objects.get(code=scope_code) if scope_code else None,
                actor=DEMO_SEEDER,
            )
        seed_totp_device(User.objects.get(username=username))
        rows.append((username, DEMO_PASSWORD))
    return rows


def demo_staff() -> User | None:
    """The demo district's staff account (`district`), a real person in the demo district's scope: the
    demo's volunteers are registered as done by them (events' volunteer services need a person).
    Created when missing; None when that username belongs to someone else (a platform in use)."""
    district = Region.objects.filter(code=DEMO_STAFF_SCOPE).first()
    if district is None:
        return None
    if not User.objects.filter(username=DEMO_STAFF).exists():
        family, given = next((u[1], u[2]) for u in DEMO_USERS if u[0] == DEMO_STAFF)
        user_create(
            username=DEMO_STAFF,
            password=DEMO_PASSWORD,
            last_name=family,
            first_name=given,
            role=Role.STAFF,
            scope_region=district,
            actor=DEMO_SEEDER,
        )
    return User.objects.filter(
        username=DEMO_STAFF, role=Role.STAFF, scope_region=district, is_active=True
    ).first()


def seed_totp_device(user: User) -> None:
    """Give a demo account that needs a second factor the demo TOTP device (once), through the
    enrolment's own steps (accounts.two_factor.services.otp_enrol_known_key)."""

    if otp_mandatory(user) and not TOTPDevice.objects.filter(user=user).exists():
        otp_enrol_known_key(user=user, key=DEMO_TOTP_KEY, actor=DEMO_SEEDER)


def demo_totp_code() -> str:
    """The code an authenticator app shows now for the demo key."""

    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    totp.time = time.time()
    return f"{totp.token():06d}"
