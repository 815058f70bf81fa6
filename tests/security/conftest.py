"""One row of every admin-registered model, for the route tests of tests/security.

`admin_rows(label)` builds (once per test) a row of the model `app_label.model_name` in street A of
district 330499 (the `regions` tree), through the factories and services where they exist and a
plain insert for history-only rows that no service writes directly.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.actors import SYSTEM

D = dt.date


class AdminRows:
    def __init__(self, regions):
        self.regions = regions
        self.made: dict[str, object] = {}
        self._pos = None

    @property
    def pos(self):
        from tests.members.factories import build_po_tree

        if self._pos is None:
            self._pos = build_po_tree(self.regions)
        return self._pos

    def __call__(self, label: str):
        if label not in self.made:
            self.made[label] = getattr(self, "_" + label.replace(".", "__"))()
        return self.made[label]

    # --- accounts and third-party apps -----------------------------------------------------------
    def _accounts__user(self):
        from accounts.models import Role
        from tests.accounts.factories import UserFactory

        return UserFactory(
            role=Role.SECRETARY, username="routes_secretary", party_organization=self.pos.branch_a
        )

    def _accounts__notification(self):
        from tests.accounts.factories import NotificationFactory

        return NotificationFactory(recipient=self("accounts.user"), title="路由测试通知")

    def _auth__group(self):
        from django.contrib.auth.models import Group

        return Group.objects.create(name="路由测试组")

    def _auditlog__logentry(self):
        from auditlog.models import LogEntry

        self("orgs.organization")  # its creation is logged
        return LogEntry.objects.order_by("-pk").first()

    def _axes_row(self, model):
        return model.objects.create(
            username="routes_secretary",
            ip_address="10.0.0.9",
            user_agent="pytest",
            http_accept="text/html",
            path_info="/accounts/login/",
            **(
                {"get_data": "", "post_data": "", "failures_since_start": 1}
                if "failures_since_start" in [f.name for f in model._meta.fields]
                else {}
            ),
        )

    def _axes__accessattempt(self):
        from axes.models import AccessAttempt

        return self._axes_row(AccessAttempt)

    def _axes__accessfailurelog(self):
        from axes.models import AccessFailureLog

        return self._axes_row(AccessFailureLog)

    def _axes__accesslog(self):
        from axes.models import AccessLog

        return self._axes_row(AccessLog)

    def _knox__authtoken(self):
        from knox.models import AuthToken

        return AuthToken.objects.create(self("accounts.user"))[0]

    def _otp_totp__totpdevice(self):
        from tests.accounts.factories import totp_device_for

        return totp_device_for(self("accounts.user"))

    def _otp_static__staticdevice(self):
        from django_otp.plugins.otp_static.models import StaticDevice

        return StaticDevice.objects.create(user=self("accounts.user"), name="备用码")

    def _reminders__reminder(self):
        from django.contrib.contenttypes.models import ContentType

        from reminders.models import Reminder

        branch = self.pos.branch_a
        return Reminder.objects.create(
            kind="no_secretary",
            content_type=ContentType.objects.get_for_model(branch),
            object_id=branch.pk,
            period="2025",
            subject=str(branch),
            title="路由测试提醒",
        )

    def _news__article(self):
        from tests.news.factories import make_article

        return make_article(title="路由测试新闻")

    # --- registry ---------------------------------------------------------------------------------
    def _orgs__region(self):
        return self.regions.community_a1

    def _orgs__organization(self):
        from tests.orgs.factories import OrganizationFactory

        return OrganizationFactory(region=self.regions.community_a1, name="路由测试社会组织")

    def _orgs__organizationstatuschange(self):
        from orgs.models import OrganizationStatusChange
        from tests.orgs.factories import OrganizationFactory

        organization = OrganizationFactory(
            region=self.regions.community_a1, name="路由测试注销组织", status="deregistered"
        )
        return OrganizationStatusChange.objects.filter(organization=organization, kind="deregistered").get()

    def _orgs__annualinspection(self):
        from tests.orgs.factories import AnnualInspectionFactory

        return AnnualInspectionFactory(organization=self("orgs.organization"))

    # --- party organizations and members -----------------------------------------------------------
    def _branches__partyorganization(self):
        return self.pos.branch_a

    def _branches__coveragelink(self):
        from tests.branches.factories import CoverageLinkFactory

        return CoverageLinkFactory(
            organization=self("orgs.organization"), party_organization=self.pos.branch_a
        )

    def _branches__instructor(self):
        from tests.branches.factories import InstructorFactory

        return InstructorFactory(region=self.regions.community_a1, name="路由测试指导员")

    def _branches__instructorassignment(self):
        from branches.models import InstructorAssignment

        return InstructorAssignment.objects.create(
            instructor=self("branches.instructor"),
            organization=self("orgs.organization"),
            since=D(2024, 1, 1),
        )

    def _branches__committeepost(self):
        from branches.models import CommitteePost

        return CommitteePost.objects.create(
            party_organization=self.pos.branch_a,
            member=self("members.member"),
            post="secretary",
            since=D(2024, 1, 1),
        )

    def _members__member(self):
        from tests.members.factories import MemberFactory

        return MemberFactory(party_organization=self.pos.branch_a, name="路由测试党员")

    def _members__affiliationrecord(self):
        from members.services.affiliations import affiliation_start

        member = self("members.member")
        return affiliation_start(
            member=member,
            kind="flowing",
            starts_on=timezone.localdate() - dt.timedelta(days=100),
            location="广东省深圳市",
            contact_party_organization=member.party_organization,
            actor=SYSTEM,
        )

    def _members__stagechange(self):
        from members.models import StageChange
        from members.services.status import member_mark_left
        from tests.members.factories import MemberFactory

        member = MemberFactory(party_organization=self.pos.branch_a, name="路由测试离开党员")
        member_mark_left(member=member, on=timezone.localdate() - dt.timedelta(days=10), actor=SYSTEM)
        return StageChange.objects.filter(member=member, to_status="left").get()

    def _members__reveallog(self):
        from members.models import RevealLog

        return RevealLog.objects.create(
            member=self("members.member"), field="id_number", user=self("accounts.user")
        )

    def _members__transfer(self):
        from members.models import Transfer

        return Transfer.objects.create(
            member=self("members.member"), direction="out", outside_unit="某公司党支部", sent_on=D(2025, 3, 2)
        )

    def _members__transferletter(self):
        from members.models import TransferLetter

        return TransferLetter.objects.create(
            transfer=self("members.transfer"),
            district=self.regions.district,
            year=2025,
            serial=1,
            number="示组转〔2025〕1号",
            issued_on=D(2025, 3, 2),
            valid_days=30,
        )

    # --- dues -------------------------------------------------------------------------------------
    def _dues__duesbase(self):
        from tests.dues.factories import base_for

        return base_for(self("members.member"))

    def _dues__duesroll(self):
        from tests.dues.factories import roll_for

        self("dues.duesbase")
        return roll_for(self.pos.branch_a, month=D(2025, 1, 1))

    def _dues__duesentry(self):
        from dues.services.payments import dues_payment_record
        from tests.dues.factories import TEST_ACTOR

        line = self("dues.duesroll").lines.get()
        return dues_payment_record(
            line=line, amount=Decimal("15.00"), paid_on=D(2025, 1, 10), actor=TEST_ACTOR
        )

    # --- events -----------------------------------------------------------------------------------
    def _events__event(self):
        from tests.events.factories import make_event

        return make_event(self.pos.branch_a, title="路由测试主题党日")

    def _events__appraisal(self):
        from events.models import Appraisal

        return Appraisal.objects.create(party_organization=self.pos.branch_a, year=2025)

    def _events__partyclass(self):
        from events.models import PartyClass

        return PartyClass.objects.create(
            party_organization=self.pos.branch_a,
            name="路由测试党课班",
            starts_on=D(2025, 3, 1),
            ends_on=D(2025, 3, 5),
        )

    def _events__partygroup(self):
        from events.models import PartyGroup

        return PartyGroup.objects.create(party_organization=self.pos.branch_a, name="路由测试党小组")

    def _events__servicecenter(self):
        from tests.events.factories import make_center

        return make_center(self.regions.community_a1, name="路由测试党群服务中心")

    def _events__room(self):
        from tests.events.factories import make_room

        return make_room(self("events.servicecenter"), name="路由测试会议室")

    def _events__booking(self):
        from events.models import Booking
        from tests.events.factories import next_slot

        starts_at, ends_at = next_slot()
        return Booking.objects.create(
            room=self("events.room"),
            starts_at=starts_at,
            ends_at=ends_at,
            purpose="路由测试会议",
            attendees=5,
        )

    def _events__charityitem(self):
        from tests.events.factories import make_item

        return make_item(self.regions.community_a1, name="路由测试大米")

    def _events__charitysupermarket(self):
        return self("events.charityitem").supermarket

    def _events__volunteer(self):
        from tests.events.factories import make_volunteer

        return make_volunteer(self.regions.community_a1, name="路由测试志愿者", actor=self._root())

    def _events__pointentry(self):
        from events.models import PointEntry

        return PointEntry.objects.create(
            volunteer=self("events.volunteer"),
            kind="correction",
            points=5,
            balance_after=5,
            note="路由测试更正",
        )

    # --- alliances --------------------------------------------------------------------------------
    def _alliances__alliance(self):
        from tests.alliances.factories import AllianceFactory

        return AllianceFactory(name="路由测试联盟", lead_organization=self("orgs.organization"))

    def _alliances__alliancemembership(self):
        return self("alliances.alliance").memberships.first()

    def _alliances__program(self):
        from tests.alliances.factories import ProgramFactory

        return ProgramFactory(alliance=self("alliances.alliance"), name="路由测试品牌项目")

    def _alliances__programmilestone(self):
        from alliances.models import ProgramMilestone

        return ProgramMilestone.objects.create(
            program=self("alliances.program"), title="路由测试节点", due_on=D(2025, 6, 1)
        )

    def _alliances__programprogress(self):
        from alliances.models import ProgramProgress

        return ProgramProgress.objects.create(
            program=self("alliances.program"), on=D(2025, 6, 1), note="路由测试进展"
        )

    def _alliances__pairing(self):
        from tests.alliances.factories import PairingFactory

        return PairingFactory(organization=self("orgs.organization"), partner_name="路由测试医院")

    def _alliances__pairingactivity(self):
        from alliances.models import PairingActivity

        return PairingActivity.objects.create(
            pairing=self("alliances.pairing"), on=D(2025, 4, 1), title="路由测试义诊"
        )

    def _alliances__gridpairing(self):
        from alliances.models import GridPairing

        return GridPairing.objects.create(
            organization=self("orgs.organization"),
            community=self.regions.community_a1,
            grid_name="路由测试网格",
            since=D(2024, 1, 1),
        )

    def _alliances__gridservicerecord(self):
        from alliances.models import GridServiceRecord

        return GridServiceRecord.objects.create(
            grid_pairing=self("alliances.gridpairing"), month=D(2024, 3, 1), services_count=1
        )

    def _alliances__ventureround(self):
        from tests.alliances.factories import make_round

        return make_round(name="路由测试创投")

    def _alliances__ventureapplication(self):
        from tests.alliances.factories import submit

        return submit(self("alliances.ventureround"), self("orgs.organization"), title="路由测试项目")

    def _alliances__projectmilestone(self):
        from alliances.models import ProjectMilestone

        return ProjectMilestone.objects.create(
            application=self("alliances.ventureapplication"), title="路由测试里程碑", due_on=D(2025, 6, 1)
        )

    def _alliances__finalevaluation(self):
        from alliances.models import FinalEvaluation

        return FinalEvaluation.objects.create(
            application=self("alliances.ventureapplication"),
            score=90,
            text="路由测试评估",
            evaluated_on=D(2025, 12, 1),
        )

    def _root(self):
        from tests.accounts.factories import UserFactory

        return UserFactory(is_superuser=True, is_staff=True, username="routes_root")


@pytest.fixture
def admin_rows(regions) -> AdminRows:
    return AdminRows(regions)
