"""`/api/v1/`: every app registers its viewsets on this one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.tokens import TokenLogoutAllView, TokenLogoutView, TokenObtainView
from accounts.api.views import MeView, NotificationViewSet
from alliances.api.views import AllianceViewSet, VentureApplicationViewSet, VentureRoundViewSet
from branches.api.views import PartyOrganizationViewSet
from events.api.views import BookingViewSet, EventViewSet
from members.api.views import MemberViewSet
from orgs.api.views import OrganizationViewSet, RegionViewSet
from stats.api import CoverageView

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("party-organizations", PartyOrganizationViewSet, basename="party-organization")
router.register("members", MemberViewSet, basename="member")
router.register("events", EventViewSet, basename="event")
router.register("bookings", BookingViewSet, basename="booking")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("venture-rounds", VentureRoundViewSet, basename="venture-round")
router.register("venture-applications", VentureApplicationViewSet, basename="venture-application")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", TokenLogoutAllView.as_view(), name="api-logout-all"),
    path("me/", MeView.as_view(), name="api-me"),
    path("coverage/", CoverageView.as_view(), name="api-coverage"),
    *router.urls,
]
