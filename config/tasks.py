"""Platform-level tasks that belong to no app."""

from celery import shared_task

PING_REPLY = "pong"


@shared_task
def platform_ping_task() -> str:
    """Answer PING_REPLY: proves a message went producer → broker → worker → result backend and back.

    The CI smoke and tests/config/test_broker.py round-trip it; beat sends it when
    PLATFORM_PING_SECONDS is set (see config/celery_app.py). No side effect, safe to run any number of times.
    """
    return PING_REPLY
