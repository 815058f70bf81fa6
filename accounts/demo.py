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
    from orgs.models import Region

    rows = []
    for username, family, given, role, scope_code in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user = User(username=username, last_name=family, first_name=given)
            if role is None:
                user.is_superuser = user.is_staff = True
            else:
                user.role = role
                user.is_staff = role == Role.STAFF
                user.scope_region = Region.objects.get(code=scope_code) if scope_code else None
            user.set_password(DEMO_PASSWORD)
            user.save()
        rows.append((username, DEMO_PASSWORD))
    return rows
