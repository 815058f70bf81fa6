"""The change log (django-auditlog): which models are recorded, and how each request's actor
and address reach it.

Logins, logouts and failed logins are recorded by django-axes (AccessLog with
login and logout times, AccessFailureLog), not here.

auditlog's own middleware fixes the actor when the request starts: the session's user. An API
request authenticated by a token is anonymous at that point (DRF authenticates later, in the
view), so every API write was logged with no actor. AuditContextMiddleware keeps the request's
audit context on the request, and the API's authentication classes (accounts.api.authentication)
name the actor in it once they know him. The address comes from the one helper
(accounts.client_address), not from the client-supplied left end of X-Forwarded-For.
"""

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from accounts.client_address import client_address
from accounts.models import User

HIDDEN = "********"


def hide_value(value: str) -> str:
    """Record that a secret changed, never any part of it (auditlog's default keeps half the string)."""
    return HIDDEN


# A password or phone change is logged (who changed whose, when) with both values hidden;
# last_login is left out: it changes on every login and axes' AccessLog already has it.
auditlog.register(
    User,
    exclude_fields=["last_login", "phone_hash"],
    mask_fields=["password", "phone"],
    mask_callable="accounts.audit.hide_value",
)


class AuditContextMiddleware(AuditlogMiddleware):
    """auditlog's middleware with the trusted client address and an actor the API can name later."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    def get_extra_data(self, request):
        context = super().get_extra_data(request)
        request.audit_context = context  # the very dict auditlog reads when a LogEntry is saved
        return context


def audit_actor_set(request, user) -> None:
    """Name `user` as the actor of every change logged for the rest of this request."""
    context = getattr(request, "audit_context", None)
    if context is not None and user is not None and user.is_authenticated:
        context["actor"] = user


def audit_summary(*, instance, actor, changes: dict, additional_data: dict | None = None) -> LogEntry:
    """One log entry standing for a bulk write (an import) that bypasses per-row logging.

    `changes` maps a label to its value ({"file": "a.xlsx", "created": 12}); the entry is logged
    as an update of `instance` (the job) by `actor`, at the address of the current request if any.
    """
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={key: [None, str(value)] for key, value in changes.items()},
        actor=actor,
        additional_data=additional_data,
    )
