"""`/api/v1/`: every app registers its viewsets on this one router."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.tokens import TokenLogoutAllView, TokenLogoutView, TokenObtainView
from accounts.api.views import MeView, NotificationViewSet
from alliances.api.views import VentureApplicationViewSet, VentureRoundViewSet
from alliances.api.writes import (
    AllianceMembershipViewSet,
    AllianceWriteViewSet,
    GridPairingViewSet,
    PairingViewSet,
)
from branches.api.views import PartyOrganizationViewSet
from branches.api.writes import (
    CommitteePostViewSet,
    CoverageLinkViewSet,
    InstructorAssignmentViewSet,
    InstructorViewSet,
)
from dues.api.views import DuesEntryViewSet, DuesLineViewSet, DuesRollViewSet
from events.api.secretary_year import AppraisalViewSet, PartyClassViewSet
from events.api.views import BookingViewSet
from events.api.writes import EventWriteViewSet
from members.api.affiliations import AffiliationViewSet
from members.api.letters import TransferLetterViewSet
from members.api.recruitment import RecruitmentStepViewSet
from members.api.writes import MemberWriteViewSet
from orgs.api.history import OrganizationStatusChangeViewSet
from orgs.api.views import OrganizationViewSet, RegionViewSet
from stats.api import CoverageView

router = DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("regions", RegionViewSet, basename="region")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register(
    "organization-status-changes", OrganizationStatusChangeViewSet, basename="organization-status-change"
)
router.register("party-organizations", PartyOrganizationViewSet, basename="party-organization")
router.register("coverage-links", CoverageLinkViewSet, basename="coverage-link")
router.register("instructors", InstructorViewSet, basename="instructor")
router.register("instructor-assignments", InstructorAssignmentViewSet, basename="instructor-assignment")
router.register("committee-posts", CommitteePostViewSet, basename="committee-post")
router.register("members", MemberWriteViewSet, basename="member")
router.register("member-affiliations", AffiliationViewSet, basename="member-affiliation")
router.register("transfer-letters", TransferLetterViewSet, basename="transfer-letter")
router.register("recruitment-steps", RecruitmentStepViewSet, basename="recruitment-step")
router.register("appraisals", AppraisalViewSet, basename="appraisal")
router.register("party-classes", PartyClassViewSet, basename="party-class")
router.register("events", EventWriteViewSet, basename="event")
router.register("dues-rolls", DuesRollViewSet, basename="dues-roll")
router.register("dues-lines", DuesLineViewSet, basename="dues-line")
router.register("dues-entries", DuesEntryViewSet, basename="dues-entry")
router.register("bookings", BookingViewSet, basename="booking")
router.register("alliances", AllianceWriteViewSet, basename="alliance")
router.register("alliance-memberships", AllianceMembershipViewSet, basename="alliance-membership")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("grid-pairings", GridPairingViewSet, basename="grid-pairing")
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
