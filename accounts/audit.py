"""Models whose every row change is recorded by django-auditlog (who, when, what)."""

from auditlog.registry import auditlog

from accounts.models import User

auditlog.register(User, exclude_fields=["password", "last_login"])
