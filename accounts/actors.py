"""Who did it, and for whom a read is: explicit values, never None.

Every service takes an `actor`: a user, or a named `SystemActor` (a job, a command, the demo seeder).
A user is checked against its role and scope. A system actor passes the scope checks, since it works
for the whole platform, and is recorded by name where a row has a column for it (`accounts.recorded_by`);
a "who did it" foreign key gets NULL for it (`as_user`). None is refused with a TypeError: "who did
this?" must always have an answer, and None used to mean "skip every check".

`visible_to(PUBLIC)` is the public's view (what an anonymous visitor sees, whoever is logged in);
`visible_to(None)` is refused too (TypeError), and so is PUBLIC as a service actor.

The system actors are all named here, in one registry: their names end up in stored rows, so they
must be unique and findable in one place, and a job or command imports its constant from here.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # accounts.models imports this module (through accounts.querysets)
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs  # typing's own from Python 3.13 (the floor is 3.12)

    from accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    name: str
    is_superuser: bool = False
    is_authenticated: Literal[False] = False  # no login behind it (as for AnonymousUser)
    is_active: bool = True
    role: str = "system"
    pk = None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class PublicViewer:
    """The public: anonymous visitors, and the public pages whoever is logged in."""

    is_superuser: bool = False
    is_authenticated: bool = False
    is_anonymous: bool = True
    is_active: bool = False
    role: str = "public"
    pk = None

    def __str__(self) -> str:
        return "public"


PUBLIC = PublicViewer()

# What a service's `actor` is: a user (`request.user` as a view has it: an anonymous user is let
# through to the service's own role check, which refuses it) or a named SystemActor. Not None, not
# PUBLIC: `require_actor` refuses both at run time, and the type leaves them out.
type Actor = User | AnonymousUser | SystemActor

# The registry of system actors (name: "<app>.<job>").
DEMO_SEEDER = SystemActor("demo.seeder")  # `seed_demo`: regions, branches, members, events, news, alliances
DUES_ROLL_JOB = SystemActor("dues.roll_job")  # the monthly dues rolls (beat)
DUES_DEMO_SEEDER = SystemActor("dues.demo")  # the demo district's dues
REGISTRY_IMPORT = SystemActor("orgs.registry_import")  # history rows following an import's bulk update
AFFILIATION_SYNC = SystemActor("members.affiliation_sync")  # Member.affiliation re-derived daily (beat)

SYSTEM_LABELS = {
    DEMO_SEEDER.name: _("the demo data"),
    DUES_ROLL_JOB.name: _("the monthly dues roll"),
    DUES_DEMO_SEEDER.name: _("the demo data"),
    REGISTRY_IMPORT.name: _("the registry import"),
    AFFILIATION_SYNC.name: _("the daily affiliation check"),
}


def system_label(name: str) -> str:
    """What a page shows for a system actor's stored name (its name itself when unknown)."""
    return str(SYSTEM_LABELS.get(name, name)) if name else ""


def is_system(actor: object) -> "TypeIs[SystemActor]":
    return isinstance(actor, SystemActor)


def require_actor(actor: object) -> None:
    """Refuse None (and anything that is neither a user nor a SystemActor) before any check runs."""
    if actor is None:
        raise TypeError("services need an actor: a user or an accounts.actors.SystemActor, never None")
    if isinstance(actor, PublicViewer) or (not is_system(actor) and not hasattr(actor, "is_authenticated")):
        raise TypeError(f"not an actor: {actor!r}")


def is_unrestricted(actor: Actor) -> bool:
    """The system or a superuser: every scope check passes. None is refused first."""
    require_actor(actor)
    return is_system(actor) or bool(actor.is_superuser)


def as_user(actor: Actor) -> "User | None":
    """The value of a "who did it" user foreign key: the user, or NULL for a system actor (or a user
    with no row, such as an anonymous one)."""
    require_actor(actor)
    # Only a saved User has a pk (a SystemActor's and an anonymous user's is None).
    return cast("User", actor) if getattr(actor, "pk", None) is not None else None


def require_viewer(user: object) -> None:
    """`visible_to` needs a viewer: a user (anonymous included) or PUBLIC, never None."""
    if user is None:
        raise TypeError("visible_to needs a viewer: a user or accounts.actors.PUBLIC, never None")
