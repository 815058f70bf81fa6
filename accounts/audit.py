"""Models whose every row change is recorded by django-auditlog (who, when, what).

Logins, logouts and failed logins are recorded by django-axes (AccessLog with
login and logout times, AccessFailureLog), not here.
"""

from auditlog.registry import auditlog

from accounts.models import User

HIDDEN = "********"


def hide_value(value: str) -> str:
    """Record that a secret changed, never any part of it (auditlog's default keeps half the string)."""
    return HIDDEN


# A password change is logged (who changed whose password, when) with both values hidden;
# last_login is left out: it changes on every login and axes' AccessLog already has it.
auditlog.register(
    User,
    exclude_fields=["last_login"],
    mask_fields=["password"],
    mask_callable="accounts.audit.hide_value",
)
