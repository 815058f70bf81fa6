"""三会一课 compliance per month/quarter/year, fixed query counts, and the missed-meeting reminders."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, Role
from branches.models import PartyOrganization
from events.compliance import Period, closed_periods, compliance_gaps, compliance_table
from events.models import Event, PartyGroup
from events.services.events import event_cancel
from events.tasks import meeting_gaps_remind_task
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.events.factories import at, make_event
from tests.members.factories import po_create

pytestmark = pytest.mark.django_db
K = Event.Kind
TODAY = dt.date(2026, 2, 10)


def _gaps(period, pos):
    return {(g.party_organization.pk, g.requirement.kind) for g in compliance_gaps(period, today=TODAY)}


def test_period_parse_labels_and_bounds():
    assert (Period.parse("2025-03").start, Period.parse("2025-03").end) == (
        dt.date(2025, 3, 1),
        dt.date(2025, 4, 1),
    )
    assert Period.parse("2025-Q4").end == dt.date(2026, 1, 1)
    assert str(Period.parse("2025")) == "2025"
    with pytest.raises(ValueError):
        Period.parse("2025-13")


def test_closed_periods_january_closes_month_quarter_and_year():
    assert [str(p) for p in closed_periods(dt.date(2026, 1, 1))] == ["2025-12", "2025-Q4", "2025"]
    assert [str(p) for p in closed_periods(dt.date(2026, 2, 10))] == ["2026-01"]


def test_compliance_gaps_month_theme_day_missing(pos):
    # given branch A held its theme day in March 2025, branch A2 did not
    make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, 3, 3), held=True)
    # when
    gaps = _gaps("2025-03", pos)
    # then
    assert (pos.branch_a.pk, "theme_day") not in gaps
    assert (pos.branch_a2.pk, "theme_day") in gaps
    assert (pos.branch_b.pk, "theme_day") in gaps


def test_compliance_gaps_scheduled_or_cancelled_meeting_does_not_count(pos):
    make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, 3, 3))  # never recorded as held
    event_cancel(event=make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, 3, 10)), actor=SYSTEM)
    assert (pos.branch_a.pk, "theme_day") in _gaps("2025-03", pos)


def test_compliance_gaps_meeting_in_next_month_does_not_count(pos):
    # 2025-04-01 00:30 in Beijing is still March 31 in UTC: the local month decides
    make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, 4, 1, 0, 30), held=True)
    assert (pos.branch_a.pk, "theme_day") in _gaps("2025-03", pos)
    assert (pos.branch_a.pk, "theme_day") not in _gaps("2025-04", pos)


def test_compliance_gaps_quarter_general_meeting_any_month_of_quarter(pos):
    make_event(pos.branch_a, kind=K.GENERAL_MEETING, start=at(2025, 5, 20), held=True)
    gaps = _gaps("2025-Q2", pos)
    assert (pos.branch_a.pk, "general_meeting") not in gaps
    assert (pos.branch_a.pk, "party_lecture") in gaps
    assert (pos.branch_a2.pk, "general_meeting") in gaps
    assert not {kind for _po, kind in gaps} & {"theme_day", "life_meeting"}  # only quarterly requirements


def test_compliance_gaps_year_life_meeting_and_appraisal(pos):
    make_event(pos.branch_a, kind=K.LIFE_MEETING, start=at(2025, 12, 5), held=True)
    gaps = _gaps("2025", pos)
    assert (pos.branch_a.pk, "life_meeting") not in gaps
    assert (pos.branch_a.pk, "democratic_appraisal") in gaps


def test_compliance_gaps_committee_meeting_only_with_committee(pos):
    PartyOrganization.objects.filter(pk=pos.branch_a.pk).update(has_committee=True)
    gaps = _gaps("2025-03", pos)
    assert (pos.branch_a.pk, "committee_meeting") in gaps
    assert (pos.branch_a2.pk, "committee_meeting") not in gaps


def test_compliance_gaps_group_meeting_only_with_groups_by_default(pos):
    PartyGroup.objects.create(party_organization=pos.branch_a, name="第一党小组")
    gaps = _gaps("2025-03", pos)
    assert (pos.branch_a.pk, "group_meeting") in gaps
    assert (pos.branch_a2.pk, "group_meeting") not in gaps


def test_compliance_gaps_group_meeting_required_everywhere_when_configured(pos, settings):
    rules = {
        **settings.EVENTS["MEETING_REQUIREMENTS"],
        "group_meeting": {"period": "month", "applies": "all"},
    }
    settings.EVENTS = {**settings.EVENTS, "MEETING_REQUIREMENTS": rules}
    assert (pos.branch_a2.pk, "group_meeting") in _gaps("2025-03", pos)


def test_compliance_gaps_frequency_from_settings(pos, settings):
    # theme days made quarterly: a monthly check no longer asks for them
    rules = {**settings.EVENTS["MEETING_REQUIREMENTS"], "theme_day": {"period": "quarter", "applies": "all"}}
    settings.EVENTS = {**settings.EVENTS, "MEETING_REQUIREMENTS": rules}
    assert "theme_day" not in {kind for _po, kind in _gaps("2025-03", pos)}
    assert (pos.branch_a.pk, "theme_day") in _gaps("2025-Q1", pos)


def test_compliance_gaps_running_period_has_none(pos):
    assert compliance_gaps("2026-02", today=TODAY) == []


def test_compliance_gaps_skip_committee_temporary_and_founded_later(pos, regions):
    late = po_create("新建支部", "branch", regions.community_a1, pos.committee)
    PartyOrganization.objects.filter(pk=late.pk).update(founded_on=dt.date(2025, 3, 15))
    gap_pos = {po for po, _kind in _gaps("2025-03", pos)}
    assert pos.committee.pk not in gap_pos
    assert pos.temporary.pk not in gap_pos
    assert late.pk not in gap_pos
    assert late.pk in {po for po, _kind in _gaps("2025-04", pos)}


def test_compliance_table_cells_met_missed_due_future(pos):
    make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2026, 1, 5), held=True)
    [row] = compliance_table([pos.branch_a], 2026, today=TODAY)
    theme = next(r for r in row.rows if r.requirement.kind == "theme_day")
    statuses = [c.status for c in theme.cells]
    assert statuses[:3] == ["met", "due", "future"]
    general = next(r for r in row.rows if r.requirement.kind == "general_meeting")
    assert [c.status for c in general.cells] == ["due", "future", "future", "future"]


def test_compliance_table_missed_months_counted(pos):
    for month in (1, 2, 3, 5):
        make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, month, 3), held=True)
    [row] = compliance_table([pos.branch_a], 2025, today=TODAY)
    theme = next(r for r in row.rows if r.requirement.kind == "theme_day")
    assert (theme.met, theme.owed, theme.missed) == (4, 12, 8)


def test_compliance_table_query_count_constant(pos, regions):
    small = [pos.branch_a]
    make_event(pos.branch_a, kind=K.THEME_DAY, held=True)
    with CaptureQueriesContext(connection) as one:
        compliance_table(small, 2025, today=TODAY)
    many = [po_create(f"支部{i}", "branch", regions.community_b2, pos.committee) for i in range(6)]
    for po in many:
        make_event(po, kind=K.GENERAL_MEETING, held=True)
        PartyGroup.objects.create(party_organization=po, name="一组")
    with CaptureQueriesContext(connection) as seven:
        compliance_table(small + many, 2025, today=TODAY)
    assert len(one) == len(seven) == 2


# --- reminders --------------------------------------------------------------------------------------


def test_meeting_gaps_remind_task_twice_sends_each_reminder_once(pos):
    # given secretaries of branches A and B; A held its March theme day
    sec_a = UserFactory(role=Role.SECRETARY, username="sa", party_organization=pos.branch_a)
    sec_b = UserFactory(role=Role.SECRETARY, username="sb", party_organization=pos.branch_b)
    make_event(pos.branch_a, kind=K.THEME_DAY, start=at(2025, 3, 3), held=True)
    # when the job runs twice for March
    first = meeting_gaps_remind_task("2025-03")
    second = meeting_gaps_remind_task("2025-03")
    # then one reminder per (branch, missed requirement, period): A2 and B missed the theme day
    assert (first, second) == (2, 0)
    note = Notification.objects.get()  # only B has a secretary to tell: one digest message
    assert note.recipient == sec_b
    assert note.body.count("【") == 1 and pos.branch_b.name in note.body
    assert not Notification.objects.filter(recipient=sec_a).exists()


def test_meeting_gaps_remind_task_rows_in_reminder_system(pos):
    from reminders.models import Reminder

    meeting_gaps_remind_task("2025-03")
    meeting_gaps_remind_task("2025-03")
    rows = Reminder.objects.filter(kind="meeting_gap.theme_day", period="2025-03")
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(
        [pos.branch_a.pk, pos.branch_a2.pk, pos.branch_b.pk]
    )


def test_meeting_gaps_remind_task_without_period_checks_closed_periods(pos, time_machine):
    UserFactory(role=Role.SECRETARY, username="sa", party_organization=pos.branch_a)
    time_machine.move_to(dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC))
    meeting_gaps_remind_task()
    from reminders.models import ReminderDelivery

    keys = set(
        ReminderDelivery.objects.filter(reminder__object_id=pos.branch_a.pk).values_list(
            "reminder__kind", "reminder__period"
        )
    )
    assert {
        ("meeting_gap.theme_day", "2025-12"),
        ("meeting_gap.general_meeting", "2025-Q4"),
        ("meeting_gap.life_meeting", "2025"),
    } <= keys
    assert Notification.objects.count() == 1  # all in one digest


def test_beat_schedule_runs_meeting_gaps_task_daily():
    from config.celery_app import app

    entry = app.conf.beat_schedule["meeting-gaps-remind-daily"]
    assert entry["task"] == meeting_gaps_remind_task.name
