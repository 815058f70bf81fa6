"""Demo accounts for the quick start (never created in production data)."""

from accounts.models import Role, User

DEMO_PASSWORD = "Dangjian-2026!"

# username, family name, given name, role, scope region code (None: no scope)
DEMO_USERS = [
    ("admin", "管", "理员", None, None),
    ("district", "王", "建国", Role.STAFF, "330499"),
    ("street", "李", "秀英", Role.STAFF, "330499001"),
    ("secretary", "张", "丽华", Role.SECRETARY, None),
    ("contact", "陈", "志强", Role.ORG_CONTACT, None),
]


def seed_users() -> list[tuple[str, str]]:
    """Create the demo accounts once; an existing account is left exactly as it is."""
    from django.contrib.auth.hashers import make_password

    from orgs.models import Region

    rows = []
    hashed = None  # the (deliberately slow) hash once for all demo accounts: they share one password
    for username, family, given, role, scope_code in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user = User(username=username, last_name=family, first_name=given)
            if role is None:
                user.is_superuser = user.is_staff = True
            else:
                user.role = role
                user.is_staff = role == Role.STAFF
                user.scope_region = Region.objects.get(code=scope_code) if scope_code else None
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save()
        rows.append((username, DEMO_PASSWORD))
    return rows
