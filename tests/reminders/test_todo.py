"""The secretary's home: the month's to-do of their party organization, in a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from branches.models import PartyOrganization
from dues.actors import SystemActor
from dues.services.payments import dues_payment_record
from dues.services.rolls import dues_rolls_generate
from members.services.transfers import transfer_send
from reminders.todo import secretary_todos
from tests.actors import SYSTEM
from tests.dues.factories import base_for
from tests.members.conftest import pos, secretary_a, secretary_b  # noqa: F401  (shared fixtures)
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 20)
ACTOR = SystemActor("tests")


@pytest.fixture
def branch(pos):  # noqa: F811
    PartyOrganization.objects.filter(pk=pos.branch_a.pk).update(term_started_on=dt.date(2023, 4, 1))
    pos.branch_a.refresh_from_db()
    MemberFactory(
        party_organization=pos.branch_a,
        name="预备甲",
        stage="probationary",
        admitted_on=dt.date(2025, 3, 25),
        full_on=None,
    )
    MemberFactory(
        party_organization=pos.branch_a,
        name="积极乙",
        stage="activist",
        activist_on=dt.date(2025, 1, 1),
        candidate_on=None,
        admitted_on=None,
        full_on=None,
    )
    base_for(MemberFactory(party_organization=pos.branch_a, name="正式丙"), income="3000")
    incoming = MemberFactory(party_organization=pos.branch_b, name="转入丁")
    transfer_send(
        member=incoming, to_party_organization=pos.branch_a, sent_on=dt.date(2026, 3, 2), actor=SYSTEM
    )
    return pos.branch_a


def _by_kind(todos):
    found: dict[str, list] = {}
    for todo in todos:
        found.setdefault(todo.kind, []).append(todo)
    return found


def test_todo_lists_what_the_branch_owes_with_due_dates(branch):
    todos = _by_kind(secretary_todos(branch, TODAY))
    assert [t.due_on for t in todos["probation"]] == [dt.date(2026, 3, 25)]
    assert "积极乙" in todos["activist"][0].title
    assert "转入丁" in todos["transfer"][0].title and todos["transfer"][0].url == "/portal/members/transfers/"
    assert todos["dues"][0].title == "This month's dues roll is not made yet"
    assert todos["term"][0].due_on == dt.date(2026, 4, 1)
    theme = [t for t in todos["meeting"] if "Theme Party day" in t.title]
    assert theme and theme[0].due_on == dt.date(2026, 3, 31)
    assert all(t.url for t in secretary_todos(branch, TODAY))


def test_todo_dues_counts_members_not_recorded(branch):
    dues_rolls_generate(month=dt.date(2026, 3, 1), actor=ACTOR, party_organization=branch)
    titles = [t.title for t in _by_kind(secretary_todos(branch, TODAY))["dues"]]
    assert titles == ["1 members have no dues base recorded", "Dues of 1 members not recorded this month"]
    line = branch.dues_rolls.get().lines.get(amount_due__isnull=False)
    dues_payment_record(line=line, amount=line.amount_due, paid_on=dt.date(2026, 3, 5), actor=ACTOR)
    titles = [t.title for t in _by_kind(secretary_todos(branch, TODAY))["dues"]]
    assert titles == ["1 members have no dues base recorded"]


def test_todo_query_count_flat(branch, pos):  # noqa: F811
    dues_rolls_generate(month=dt.date(2026, 3, 1), actor=ACTOR, party_organization=branch)
    with CaptureQueriesContext(connection) as few:
        secretary_todos(branch, TODAY)
    for n in range(4):
        MemberFactory(
            party_organization=branch, stage="probationary", admitted_on=dt.date(2025, 3, 25), full_on=None
        )
        sender = MemberFactory(party_organization=pos.branch_b, name=f"转入{n}")
        transfer_send(member=sender, to_party_organization=branch, sent_on=dt.date(2026, 3, 2), actor=SYSTEM)
    dues_rolls_generate(month=dt.date(2026, 3, 1), actor=ACTOR, party_organization=branch)
    with CaptureQueriesContext(connection) as many:
        todos = secretary_todos(branch, TODAY)
    assert len(many) == len(few)
    assert len(_by_kind(todos)["transfer"]) == 5


def test_portal_home_shows_todo_to_secretary_only(branch, secretary_a, secretary_b, district_staff):  # noqa: F811
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        for user, shown in ((secretary_a, True), (secretary_b, True), (district_staff, False)):
            client = Client()
            client.force_login(user)
            body = client.get("/portal/").content.decode()
            assert ('data-testid="todo"' in body) is shown
            assert ("预备甲" in body) is (user == secretary_a)  # another branch's people never show


def test_todo_recruitment_steps_due(pos):  # noqa: F811
    from members.services.recruitment_steps import recruitment_record

    MemberFactory(
        party_organization=pos.branch_a, name="申请戊", stage="applicant", applied_on=dt.date(2026, 3, 1)
    )
    reviewed = MemberFactory(
        party_organization=pos.branch_a,
        name="积极己",
        stage="activist",
        activist_on=dt.date(2025, 3, 1),
        candidate_on=None,
        admitted_on=None,
        full_on=None,
    )
    recruitment_record(member=reviewed, kind="activist_review", on=dt.date(2025, 9, 1), actor=SYSTEM)
    MemberFactory(
        party_organization=pos.branch_a,
        name="预备庚",
        stage="probationary",
        admitted_on=dt.date(2026, 1, 10),
        full_on=None,
    )
    todos = _by_kind(secretary_todos(pos.branch_a, TODAY))
    assert [(t.title, t.due_on) for t in todos["talk"]] == [
        ("申请戊: talk with the applicant", dt.date(2026, 4, 1))
    ]
    assert [t.due_on for t in todos["review"]] == [dt.date(2026, 3, 1)] and todos["review"][0].overdue
    assert [t.due_on for t in todos["approval"]] == [dt.date(2026, 4, 10)]


def test_todo_inspection_party_section_from_the_notice_day_until_filed(branch):
    """The same rule as the annual-inspection reminder: from INSPECTION_NOTICE_DAYS (30) before the
    registry deadline (31 May for 2025's report) until the organization files the party section."""
    from django.utils import timezone

    from orgs.models import AnnualInspection
    from tests.branches.factories import CoverageLinkFactory
    from tests.orgs.factories import OrganizationFactory  # registered (filed ones owe no inspection)

    org = OrganizationFactory(name="覆盖的社会组织")
    CoverageLinkFactory(party_organization=branch, organization=org, since=dt.date(2020, 1, 1))
    assert "inspection" not in _by_kind(secretary_todos(branch, dt.date(2026, 4, 30)))
    todo = _by_kind(secretary_todos(branch, dt.date(2026, 5, 1)))["inspection"][0]
    assert "覆盖的社会组织" in todo.title and "2025" in todo.title
    assert (todo.due_on, todo.overdue, todo.url) == (dt.date(2026, 5, 31), False, "/portal/branch/")
    assert _by_kind(secretary_todos(branch, dt.date(2026, 6, 2)))["inspection"][0].overdue
    AnnualInspection.objects.create(organization=org, year=2025, party_section_filed_at=timezone.now())
    assert "inspection" not in _by_kind(secretary_todos(branch, dt.date(2026, 6, 2)))


def test_todo_lists_the_branch_rule_warnings(branch):
    """A branch without a recorded secretary shows the rule warning (branches.rules) among its to-dos."""
    warnings = [t.title for t in _by_kind(secretary_todos(branch, TODAY))["warning"]]
    assert "No current secretary is recorded." in warnings
