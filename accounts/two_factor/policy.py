"""Who needs the second factor, and whether this session has given it."""

from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

# Set at the password step for a user whose second factor is optional but who has a device.
PENDING_SESSION_KEY = "_otp_pending"


def otp_mandatory(user) -> bool:
    """Superusers and staff (who see personal data across a region) always need the second factor."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == "staff"))


def otp_needed(user) -> bool:
    """Mandatory, or chosen: a secretary or contact who enrolled a device must use it."""
    return otp_mandatory(user) or (user.is_authenticated and user_has_device(user))


def session_verified(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(DEVICE_ID_SESSION_KEY))


def session_needs_otp(request) -> bool:
    """A session login (not a token on this request) that still owes its second factor. No query."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated or not session.get("_auth_user_id"):
        return False
    if session_verified(request):
        return False
    return otp_mandatory(user) or bool(session.get(PENDING_SESSION_KEY))
