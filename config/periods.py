"""A dated period [since, until) as every refusal message writes it, shared by the apps' period
checks (branches' coverage links, posts and instructors; alliances' memberships and pairings).

It imports nothing of the apps, so any service module imports it without a cycle.
"""

from datetime import date


def span(since: date | None, until: date | None) -> str:
    """A period as messages write it: "2019-01-01 – 2021-06-30"; an open end left empty, an unknown
    start "…"."""
    start = since.isoformat() if since else "…"
    return f"{start} – {until.isoformat() if until else ''}"
