"""Who may see the dashboard and for which region: platform staff, inside their scope, else 404."""

from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from orgs.models import Region

DASHBOARD_KINDS = (Region.Kind.DISTRICT, Region.Kind.STREET)


def is_dashboard_user(user) -> bool:
    """Superusers and district/street staff with a scope (DESIGN.md); everyone else gets 404."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.role == Role.STAFF and user.scope_region_id is not None)


def dashboard_region(user, code: str | None) -> Region | None:
    """The region the dashboard shows: `code` if it is a district or street inside the user's scope,
    otherwise (no code) the user's scope region; a superuser's default is the first district (None
    while there is none). Unknown or out-of-scope codes answer 404 (never 403: no probing)."""
    if not is_dashboard_user(user):
        raise Http404
    regions = Region.objects.visible_to(user).filter(kind__in=DASHBOARD_KINDS, is_active=True)
    if not code:
        return (
            user.scope_region
            if not user.is_superuser
            else regions.filter(parent__isnull=True).order_by("code").first()
        )
    region = regions.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def region_choices(user, region: Region) -> list[Region]:
    """The regions the picker offers: the user's own scope (superuser: every district) and the streets
    of the district being shown. One query."""
    district_id = region.pk if region.parent_id is None else region.parent_id
    mine = Q(parent__isnull=True) if user.is_superuser else Q(pk=user.scope_region_id)
    regions = Region.objects.visible_to(user).filter(kind__in=DASHBOARD_KINDS, is_active=True)
    return list(regions.filter(mine | Q(parent_id=district_id)).order_by("tree_id", "lft"))
