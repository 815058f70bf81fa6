"""`/api/v1/`: every app registers its viewsets on this one router."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView, NotificationViewSet
from alliances.api.views import AllianceViewSet, VentureApplicationViewSet, VentureRoundViewSet
from branches.api.coverage import CoverageView
from branches.api.views import PartyOrganizationViewSet
from dues.api.views import DuesEntryViewSet, DuesLineViewSet, DuesRollViewSet
from events.api.views import BookingViewSet, EventViewSet
from members.api.views import MemberViewSet
from orgs.api.views import OrganizationViewSet, RegionViewSet

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("party-organizations", PartyOrganizationViewSet, basename="party-organization")
router.register("members", MemberViewSet, basename="member")
router.register("dues-rolls", DuesRollViewSet, basename="dues-roll")
router.register("dues-lines", DuesLineViewSet, basename="dues-line")
router.register("dues-entries", DuesEntryViewSet, basename="dues-entry")
router.register("events", EventViewSet, basename="event")
router.register("bookings", BookingViewSet, basename="booking")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("venture-rounds", VentureRoundViewSet, basename="venture-round")
router.register("venture-applications", VentureApplicationViewSet, basename="venture-application")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("coverage/", CoverageView.as_view(), name="api-coverage"),
    *router.urls,
]
