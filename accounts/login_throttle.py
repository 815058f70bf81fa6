"""Login limits beyond django-axes: failures per address (one address spraying many accounts)
and per account (many addresses guessing one account).

django-axes locks a (username, address) pair after AXES_FAILURE_LIMIT failures; on its own it
lets one address try a few passwords on every account. Here every failed login, from any form
(portal, admin, API token), counts against its address and its account in the cache; past
RATE_LIMITS["login_address"] or ["login_account"] each further login from that address, or
for that account, is refused with 429 before the password is even checked, until the window
passes. Successful logins are not counted: an office sharing one address logs in freely.
"""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from accounts.ratelimit import rate_limit_check, rate_limit_count

ADDRESS_GROUP = "login.address"
ACCOUNT_GROUP = "login.account"


def _account_key(username: str):
    # Case-folded: varying the case of a username must not buy new tries.
    value = (username or "").strip().casefold()
    return lambda group, request: value


def login_throttle_check(request, username: str | None) -> None:
    """Raise RateLimited (429) when this address or this account has used up its failures."""
    rate_limit_check(request, group=ADDRESS_GROUP, rate="login_address", key="ip")
    if username:
        rate_limit_check(request, group=ACCOUNT_GROUP, rate="login_account", key=_account_key(username))


@receiver(user_login_failed, dispatch_uid="accounts.login_throttle.count_failure")
def count_login_failure(sender, credentials, request=None, **kwargs):
    """Django's signal for every failed authenticate(): count it against the address and the account."""
    if request is None:
        return
    rate_limit_count(request, group=ADDRESS_GROUP, rate="login_address", key="ip")
    username = credentials.get("username")
    if username:
        rate_limit_count(request, group=ACCOUNT_GROUP, rate="login_account", key=_account_key(username))
