"""The reminders admin: a read-only record, scoped like everything else (404 outside the scope)."""

import datetime as dt

import pytest

from reminders.models import Reminder
from reminders.services import reminder_issue

CHANGELIST = "/admin/reminders/reminder/"


@pytest.fixture
def reminders(world):
    def issue(po):
        return reminder_issue(
            kind=Reminder.Kind.ELECTION_DUE,
            obj=po,
            period="2026-06",
            recipients=[world.secretary_a],
            title=f"{po.name}：换届到期",
            due_on=dt.date(2026, 6, 10),
        )

    return {"a": issue(world.pos.branch_a), "b": issue(world.pos.branch_b)}


def test_reminder_admin_changelist_scoped_to_street(client, other_street_staff, reminders):
    client.force_login(other_street_staff)

    html = client.get(CHANGELIST).content.decode()

    assert "钟埭联合支部：换届到期" not in html  # titles are not listed, subjects are
    assert "钟埭联合支部" in html and "东湖甲支部" not in html


def test_reminder_admin_out_of_scope_reminder_is_404(client, other_street_staff, reminders):
    client.force_login(other_street_staff)

    assert client.get(f"{CHANGELIST}{reminders['a'].pk}/change/").status_code == 404
    assert client.get(f"{CHANGELIST}{reminders['b'].pk}/change/").status_code == 200


def test_reminder_admin_is_read_only(client, superuser, reminders):
    client.force_login(superuser)

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{reminders['a'].pk}/delete/").status_code == 403
    page = client.get(f"{CHANGELIST}{reminders['a'].pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert "(secretary_a)" in page  # the delivery inline names the recipient


def test_reminder_admin_kind_filter(client, superuser, reminders):
    client.force_login(superuser)

    assert client.get(CHANGELIST, {"kind": "election_due"}).context["cl"].result_count == 2
    assert client.get(CHANGELIST, {"kind": "no_secretary"}).context["cl"].result_count == 0
