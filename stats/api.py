"""`/api/v1/coverage/?region=CODE&date=YYYY-MM-DD`: the coverage figures, with the keys of
`manage.py coverage_stats --format json`.

Staff only, inside their scope: a region outside the user's subtree, an unknown
code, or a user who is not staff (secretaries, org contacts) all answer 404,
never 403, so nothing can be probed. Bad input answers 400 naming the field.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from orgs.models import Organization, Region
from stats.coverage.engine import coverage_figures
from stats.coverage.inputs import parse_day, parse_org_filter


def _choices(model_choices) -> list[str]:
    return list(model_choices.values)


@extend_schema(
    parameters=[
        OpenApiParameter("region", str, description="Division code (default: your scope region)."),
        OpenApiParameter(
            "date", OpenApiTypes.DATE, description="YYYY-MM-DD, not after today (default: today)."
        ),
        OpenApiParameter("kind", str, enum=_choices(Organization.Kind)),
        OpenApiParameter("registration", str, enum=_choices(Organization.Registration)),
        OpenApiParameter("management_mode", str, enum=_choices(Organization.ManagementMode)),
        OpenApiParameter("min_staff", int),
        OpenApiParameter("max_staff", int),
    ],
    responses=OpenApiTypes.OBJECT,
)
class CoverageView(APIView):
    """Coverage figures of a region's subtree on a date, computed from the dated data."""

    def get(self, request):
        user = request.user
        if not (user.is_superuser or (user.is_platform_staff and user.scope_region_id)):
            raise NotFound()
        region = self._region(request)
        day = parse_day(request.query_params.get("date"))
        org_filter = parse_org_filter(request.query_params)
        return Response(coverage_figures(region=region, day=day, org_filter=org_filter).to_dict())

    def _region(self, request) -> Region:
        code = (request.query_params.get("region") or "").strip()
        regions = Region.objects.visible_to(request.user)
        if not code:
            if request.user.scope_region_id is None:
                raise serializers.ValidationError(
                    {"region": [_("Give a division code (6, 9 or 12 digits).")]}
                )
            return regions.get(pk=request.user.scope_region_id)
        region = regions.filter(code=code).first()
        if region is None:
            raise NotFound(_("No region with this code inside your scope."))
        return region
