"""reminders.services: issued once per key, delivered once (inbox, e-mail), escalated to the right staff."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts.models import Notification, Role
from reminders.digest import reminders_email_digests
from reminders.models import Reminder, ReminderDelivery
from reminders.services import ReminderDraft, reminder_escalate, reminder_issue, reminders_issue
from tests.accounts.factories import UserFactory


def _issue(world, **extra):
    options = {
        "kind": Reminder.Kind.ELECTION_DUE,
        "obj": world.pos.branch_a,
        "period": "2026-03",
        "recipients": [world.secretary_a],
        "title": "东湖甲支部：换届选举到期",
        "body": "请按期换届。",
        "url": "/portal/branch/",
    }
    return reminder_issue(**(options | extra))


def test_reminder_issue_first_time_delivers_one_inbox_digest_and_email_later(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = _issue(world)

    assert reminder.issued_now is True
    notification = Notification.objects.get(recipient=world.secretary_a)
    assert notification.title.startswith("Reminders of ") and "1 item" in notification.title
    assert "东湖甲支部：换届选举到期" in notification.body
    assert (notification.url, notification.level) == ("/portal/branch/", "reminder")
    assert mail.outbox == []  # the e-mail goes with the daily digest
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_email_digests() == 1
    assert [message.to for message in mail.outbox] == [[world.secretary_a.email]]
    assert "东湖甲支部：换届选举到期" in mail.outbox[0].body
    assert "/portal/branch/" in mail.outbox[0].body
    assert set(reminder.deliveries.values_list("recipient__username", "channel")) == {
        ("secretary_a", "inbox"),
        ("secretary_a", "email"),
    }


def test_reminder_issue_second_time_sends_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _issue(world)
        second = _issue(world, title="changed title")
        reminders_email_digests()
        reminders_email_digests()

    assert second.issued_now is False
    assert second.pk == first.pk
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 1
    assert "changed title" not in Notification.objects.get().body
    assert len(mail.outbox) == 1


def test_reminder_issue_many_items_one_digest_per_person_per_day(world, django_capture_on_commit_callbacks):
    # given a first run that finds twelve obligations of one branch (the flood of issue 14)
    with django_capture_on_commit_callbacks(execute=True):
        for month in range(1, 13):
            _issue(world, period=f"2026-{month:02d}", title=f"第{month}项")
        overdue = _issue(world, period="2025-12", title="逾期一项", stage=Reminder.Stage.OVERDUE)
        reminders_email_digests()
        reminders_email_digests()  # a second call the same day sends nothing more

    # then one inbox message listing all thirteen, overdue first, and one e-mail
    (notification,) = Notification.objects.filter(recipient=world.secretary_a)
    assert "13 items" in notification.title and "1 overdue" in notification.title
    assert notification.level == "warning"
    lines = [line for line in notification.body.split("\n") if line.startswith("【")]
    assert len(lines) == 13
    assert lines[0] == "【Overdue】逾期一项"
    assert all(f"第{month}项" in notification.body for month in range(1, 13))
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("【") == 13
    assert overdue.deliveries.filter(channel="email").count() == 1


def test_reminder_issue_later_the_same_day_rewrites_the_digest_unread(
    world, django_capture_on_commit_callbacks
):
    from accounts.services import notification_mark_read

    with django_capture_on_commit_callbacks(execute=True):
        _issue(world)
        reminders_email_digests()
    notification_mark_read(notification=Notification.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        _issue(world, period="2026-04", title="第二项")
        assert reminders_email_digests() == 0  # one e-mail a day: this one goes tomorrow

    notification = Notification.objects.get()
    assert notification.read_at is None and "2 items" in notification.title and "第二项" in notification.body
    assert len(mail.outbox) == 1
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_email_digests(today=tomorrow) == 1
    assert "第二项" in mail.outbox[1].body and "东湖甲支部" not in mail.outbox[1].body


def test_reminder_issue_next_stage_is_a_new_reminder(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _issue(world)
        overdue = _issue(world, stage=Reminder.Stage.OVERDUE)

    assert overdue.issued_now is True
    notification = Notification.objects.get()
    assert notification.level == "warning"
    assert notification.body.index("【Overdue】") < notification.body.index("【Due】")


def test_reminder_issue_recipient_without_email_gets_inbox_only(world, django_capture_on_commit_callbacks):
    world.secretary_a.email = ""
    world.secretary_a.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        reminder = _issue(world)
        reminders_email_digests()

    assert mail.outbox == []
    assert list(reminder.deliveries.values_list("channel", flat=True)) == ["inbox"]


def test_reminder_issue_email_setting_off_sends_no_mail(world, settings, django_capture_on_commit_callbacks):
    settings.REMINDERS = {**settings.REMINDERS, "EMAIL": False}

    with django_capture_on_commit_callbacks(execute=True):
        _issue(world)
        reminders_email_digests()

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 1


def test_reminder_issue_link_base_makes_email_link_absolute(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REMINDERS = {**settings.REMINDERS, "LINK_BASE": "https://dangjian.example.cn/"}

    with django_capture_on_commit_callbacks(execute=True):
        _issue(world)
        reminders_email_digests()

    assert "https://dangjian.example.cn/portal/branch/" in mail.outbox[0].body


def test_reminder_escalate_goes_to_staff_of_the_objects_street(world, street_staff, other_street_staff):
    # branch_a sits in community A1: street A's staff are told, street B's and the district's are not
    reminder = _issue(world, stage=Reminder.Stage.OVERDUE)

    escalated = reminder_escalate(reminder=reminder)

    assert escalated.stage == Reminder.Stage.ESCALATED
    recipients = set(
        escalated.deliveries.filter(channel="inbox").values_list("recipient__username", flat=True)
    )
    assert recipients == {street_staff.username}
    notification = Notification.objects.get(recipient=street_staff)
    assert notification.url == f"/admin/branches/partyorganization/{world.pos.branch_a.pk}/change/"
    assert notification.level == "warning"


def test_reminder_escalate_twice_sends_once(world, street_staff):
    reminder = _issue(world, stage=Reminder.Stage.OVERDUE)

    reminder_escalate(reminder=reminder)
    again = reminder_escalate(reminder=reminder)

    assert again.issued_now is False
    assert Notification.objects.filter(recipient=street_staff).count() == 1


def test_reminder_escalate_street_without_staff_goes_to_district_staff(world, street_staff, district_staff):
    street_staff.is_active = False
    street_staff.save(update_fields=["is_active"])
    reminder = _issue(world, stage=Reminder.Stage.OVERDUE)

    escalated = reminder_escalate(reminder=reminder)

    assert set(escalated.deliveries.values_list("recipient__username", flat=True)) == {
        district_staff.username
    }


def test_reminder_escalate_district_level_object_goes_to_district_staff(world, district_staff):
    # the comprehensive committee is registered at the district: no street to ask
    reminder = _issue(world, obj=world.pos.committee, stage=Reminder.Stage.OVERDUE, recipients=[])

    escalated = reminder_escalate(reminder=reminder)

    assert set(escalated.deliveries.values_list("recipient__username", flat=True)) == {
        district_staff.username
    }


def test_reminder_escalate_street_b_object_not_told_to_street_a(world, street_staff, other_street_staff):
    reminder = _issue(
        world, obj=world.pos.branch_b, stage=Reminder.Stage.OVERDUE, recipients=[world.secretary_b]
    )

    escalated = reminder_escalate(reminder=reminder)

    assert set(escalated.deliveries.values_list("recipient__username", flat=True)) == {
        other_street_staff.username
    }


def test_reminders_issue_batches_each_issue_all(world, settings):
    settings.REMINDERS = {**settings.REMINDERS, "BATCH_SIZE": 2}
    users = [UserFactory(role=Role.SECRETARY, party_organization=world.pos.branch_a) for _ in range(2)]
    drafts = [
        ReminderDraft(
            kind="meeting_gap.theme_day",
            model=type(world.pos.branch_a),
            object_id=world.pos.branch_a.pk,
            period=f"2026-{month:02d}",
            recipients=users,
            title=f"主题党日 {month} 月未开展",
            region_id=world.pos.branch_a.region_id,
        )
        for month in range(1, 6)
    ]

    issued = reminders_issue(drafts=drafts + drafts[:2])  # a duplicate key counts once

    assert len(issued) == 5
    assert Notification.objects.count() == 2  # one digest per person
    assert all("5 items" in n.title for n in Notification.objects.all())
    assert ReminderDelivery.objects.filter(channel="inbox").count() == 10


@pytest.mark.parametrize(
    ("kind", "label"),
    [("meeting_gap.theme_day", "Required meeting not held"), ("grade_expiring", "Evaluation grade expiring")],
)
def test_reminder_kind_label_reads_base_kind(kind, label):
    with translation.override("en"):
        assert Reminder(kind=kind).kind_label == label
