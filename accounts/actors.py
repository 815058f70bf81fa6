"""Who did it: every service takes an `actor`, a user or a named system actor, never None.

A user is checked against its role and scope. A `SystemActor` (a job, a command, the demo seeder)
passes the scope checks, since it works for the whole platform, and is recorded by name on the rows it
writes. None is refused: "who did this?" must always have an answer, and None has meant "skip every
check" too often.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    name: str
    is_superuser: bool = False
    is_authenticated: bool = False
    is_active: bool = True
    role: str = "system"

    def __str__(self):
        return self.name


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def require_actor(actor) -> None:
    """Refuse None (and anything that is neither a user nor a SystemActor) before any check runs."""
    if actor is None:
        raise TypeError("services need an actor: a user or an accounts.actors.SystemActor, never None")
    if not is_system(actor) and not hasattr(actor, "is_authenticated"):
        raise TypeError(f"not an actor: {actor!r}")
