"""The arrears reminder job: "due" to the secretary from 3 months owed, "overdue" and escalated to staff
(the flag for the committee) from 6 consecutive months; run twice, nobody is told twice."""

from datetime import date

import pytest

from accounts.models import Notification, Role
from dues.services.rolls import dues_rolls_generate
from members.models import Member
from reminders import jobs
from reminders.models import Reminder
from tests.accounts.factories import UserFactory
from tests.dues.factories import TEST_ACTOR, base_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _months(po, n):
    for month in range(1, n + 1):
        dues_rolls_generate(month=date(2025, month, 1), actor=TEST_ACTOR, party_organization=po)


def test_dues_arrears_reminder_from_three_months_once(pos, secretary_a):
    base_for(MemberFactory(party_organization=pos.branch_a, name="欠三"), income="3000")
    _months(pos.branch_a, 2)
    assert jobs.dues_arrears_reminders(today=date(2025, 2, 20)) == 0  # two months: not yet
    _months(pos.branch_a, 3)
    assert jobs.dues_arrears_reminders(today=date(2025, 3, 20)) == 1
    assert jobs.dues_arrears_reminders(today=date(2025, 3, 21)) == 0  # same month: same key
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.stage, reminder.period) == ("dues_arrears", "due", "2025-03")
    assert Notification.objects.get().recipient == secretary_a


def test_dues_arrears_six_consecutive_months_flagged_to_staff_never_automatic(pos, secretary_a, regions):
    staff = UserFactory(
        role=Role.STAFF, is_staff=True, scope_region=regions.street_a, username="street_officer"
    )
    member = MemberFactory(party_organization=pos.branch_a)
    base_for(member, income="3000")
    _months(pos.branch_a, 6)
    assert jobs.dues_arrears_reminders(today=date(2025, 6, 15)) == 2  # overdue + escalated
    stages = set(Reminder.objects.values_list("stage", flat=True))
    assert stages == {"overdue", "escalated"}
    assert Notification.objects.filter(recipient=staff).exists()
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE  # the committee decides, nothing else changes
