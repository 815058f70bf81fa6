"""The role × view matrix every app reuses.

    MATRIX = {"superuser": 200, "district_staff": 200, "street_staff": 404, ...}
    assert_role_matrix(client, role_users, url, MATRIX)

Each role logs in (force_login) and requests `url`; the status must match.
"anonymous" is checked logged out. Roles absent from the matrix are not checked.
"""

from django.test import Client


def status_for(user, url: str, method: str = "get", data=None) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data=data or {})
    return response.status_code


def assert_role_matrix(role_users: dict, url: str, expected: dict[str, int], method: str = "get", data=None):
    got = {role: status_for(role_users[role], url, method, data) for role in expected}
    assert got == expected, f"{method.upper()} {url}: expected {expected}, got {got}"
