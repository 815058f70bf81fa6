"""`seed_demo --reset`: remove what lies in the demo district, so seed_demo can rebuild it.

Removed: the demo committee's party tree (its members, meetings, coverage links …), the
organizations registered in the demo district and what hangs on them, its service centers,
volunteers, alliances, venture rounds, instructors and reminders, and the demo articles. Kept:
the regions themselves and the accounts (a link of an account into the removed rows is cleared
by the database, SET_NULL). Nothing outside the district is removed: a row outside it that
protects a demo row (PROTECT) stops the reset with an error naming it, and nothing is written.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector

from alliances.models import Alliance, GridPairing, Pairing, VentureRound
from branches.models import Instructor, PartyOrganization
from events.models import Booking, CharitySupermarket, Event, ServiceCenter, Volunteer
from members.models import Member
from news.demo_texts import ARTICLES
from news.models import Article
from orgs.demo.scope import demo_committee, demo_district, demo_tree_q
from orgs.models import Organization
from orgs.querysets import in_region_q
from reminders.models import Reminder


class DemoResetRefused(Exception):
    """A row outside the demo district depends on a demo row."""


def _targets(district, committee) -> list:
    in_district = in_region_q(district, "region__")
    tree = demo_tree_q(committee, "party_organization__")
    return [
        Reminder.objects.filter(in_district),
        Article.objects.filter(title__in=[a.title for a in ARTICLES]),
        Booking.objects.filter(in_region_q(district, "room__center__region__")),
        Event.objects.filter(tree),
        Event.objects.filter(in_region_q(district, "alliance__lead_organization__region__")),
        Event.objects.filter(in_region_q(district, "organization__region__")),
        CharitySupermarket.objects.filter(in_district),
        Volunteer.objects.filter(in_district),
        ServiceCenter.objects.filter(in_district),
        VentureRound.objects.filter(in_district),
        GridPairing.objects.filter(in_region_q(district, "organization__region__")),
        Pairing.objects.filter(in_region_q(district, "alliance__lead_organization__region__")),
        Pairing.objects.filter(in_region_q(district, "organization__region__")),
        Alliance.objects.filter(in_region_q(district, "lead_organization__region__")),
        Member.objects.filter(tree),
        Instructor.objects.filter(in_district),
        PartyOrganization.objects.filter(demo_tree_q(committee)).order_by("-level"),
        Organization.objects.filter(in_district),
    ]


def _inside(objects, district) -> bool:
    """Whether protected rows lie in the district, by their model's own staff scope."""
    model = type(objects[0])
    for_staff = getattr(model._default_manager.all(), "for_staff", None)
    if for_staff is None:
        return True  # a plain dependent row (a through table, a history line) of a demo row
    # Rows a cascade of this reset removed meanwhile are no longer in question.
    pks = set(model._base_manager.filter(pk__in=[o.pk for o in objects]).values_list("pk", flat=True))
    return for_staff(district).filter(pk__in=pks).count() == len(pks)


def _purge(queryset_or_objects, district, depth: int = 0) -> int:
    """Delete with Django's collector (cascades included), removing protected dependants first."""
    if depth > 12:
        raise ImproperlyConfigured("seed_demo --reset: dependencies nest too deep")
    deleted = 0
    while True:
        objects = list(queryset_or_objects)
        if not objects:
            return deleted
        collector = Collector(using=router.db_for_write(type(objects[0])) or DEFAULT_DB_ALIAS)
        try:
            collector.collect(objects)
        except (ProtectedError, RestrictedError) as exc:
            blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            by_model: dict[type, list] = {}
            for obj in blocking:
                by_model.setdefault(type(obj), []).append(obj)
            for group in by_model.values():
                group = list(type(group[0])._base_manager.filter(pk__in=[o.pk for o in group]))
                if not group:
                    continue
                if not _inside(group, district):
                    names = ", ".join(str(o) for o in group[:5])
                    raise DemoResetRefused(
                        f"{group[0]._meta.verbose_name} outside the demo district depends on it: {names}"
                    ) from exc
                deleted += _purge(group, district, depth + 1)
            continue
        deleted += collector.delete()[0]
        return deleted


@transaction.atomic
def demo_reset() -> int:
    """Remove the demo district's rows (one transaction); returns how many rows were deleted."""
    district = demo_district()
    if district is None:
        return 0
    committee = demo_committee(district)
    deleted = 0
    for queryset in _targets(district, committee):
        deleted += _purge(queryset, district)
    return deleted
