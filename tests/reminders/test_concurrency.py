"""Two workers running the same reminder job at the same moment: each reminder exactly once.

Real threads on real PostgreSQL connections (transaction=True, so both see committed data).
Both runs start together at a barrier; the second INSERT waits on the unique index until the
first commits and then inserts nothing, so it delivers nothing.
"""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.models import Notification, User
from reminders import jobs
from reminders.digest import reminders_email_digests
from reminders.models import Reminder, ReminderDelivery
from tests.members.factories import MemberFactory
from tests.orgs.factories import GradeAwardFactory
from tests.reminders.builders import give_secretary
from tests.reminders.conftest import set_term


def _inspection(world):
    return dt.date(2026, 6, 1), 4  # supervisor and registry: overdue + escalated each


def _probation(world):
    MemberFactory(
        stage="probationary", party_organization=world.pos.branch_a, admitted_on=dt.date(2025, 3, 15)
    )
    return dt.date(2026, 6, 14), 2  # overdue + escalated


def _activist(world):
    MemberFactory(stage="activist", party_organization=world.pos.branch_b, activist_on=dt.date(2025, 3, 31))
    return dt.date(2026, 3, 31), 1


def _election(world):
    set_term(world.pos.branch_a, dt.date(2023, 6, 10))
    return dt.date(2026, 6, 11), 2


def _grade(world):
    GradeAwardFactory(organization=world.org_a, announced_on=dt.date(2020, 11, 20))
    return dt.date(2025, 12, 1), 1


def _no_secretary(world):
    for po in (world.pos.committee, world.pos.branch_a2, world.pos.branch_b, world.pos.temporary):
        give_secretary(po)
    return dt.date(2026, 3, 20), 2  # branch_a never had one: overdue + escalated


SETUPS = {
    "annual_inspection": _inspection,
    "probation_due": _probation,
    "activist_eligible": _activist,
    "election_due": _election,
    "grade_expiring": _grade,
    "no_secretary": _no_secretary,
}


def _run_twice_at_once(job, day: dt.date) -> list[int]:
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(job(today=day))
        except Exception as exc:  # noqa: BLE001 - surfaced below: it would otherwise vanish with the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(SETUPS))
def test_reminder_job_two_concurrent_runs_issue_each_reminder_once(name, world, street_staff):
    # given
    day, expected = SETUPS[name](world)

    # when
    counts = _run_twice_at_once(jobs.JOBS[name], day)

    # then: every reminder was issued by exactly one of the runs …
    assert Reminder.objects.count() == expected
    assert len(counts) == 2
    assert sum(counts) == expected
    keys = Reminder.objects.values_list("kind", "content_type", "object_id", "period", "stage")
    assert len(set(keys)) == expected
    # … and delivered once: one inbox digest per person, and (two digest runs at once) one e-mail
    inbox = ReminderDelivery.objects.filter(channel="inbox")
    assert inbox.count() > 0
    people = set(inbox.values_list("recipient_id", flat=True))
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(people)
    for notification in Notification.objects.all():
        assert notification.body.count("【") == inbox.filter(recipient=notification.recipient).count()
    _run_twice_at_once(reminders_email_digests, day)
    with_mail = {u for u in people if User.objects.get(pk=u).email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(User.objects.get(pk=u).email for u in with_mail)
    assert (
        ReminderDelivery.objects.filter(channel="email").count() == inbox.exclude(recipient__email="").count()
    )


@pytest.mark.django_db(transaction=True)
def test_reminder_job_rerun_after_concurrent_runs_sends_nothing(world, street_staff):
    day, _expected = _inspection(world)
    _run_twice_at_once(jobs.annual_inspection_reminders, day)
    sent = (Notification.objects.count(), len(mail.outbox))

    assert jobs.annual_inspection_reminders(today=day) == 0
    assert (Notification.objects.count(), len(mail.outbox)) == sent
