"""The secretary's year through the API (issue 17): appraisals with results and follow-ups, party-school
classes with credited hours, transfer letters searchable by number. Read-only, scoped like the portal
(out of scope: 404), role × view, and a query count that does not grow with the rows."""

import datetime as dt

import pytest
from django.test import Client

from events.models import AppraisalResult
from events.services.appraisals import appraisal_follow_up_record, appraisal_result_record
from events.services.classes import party_class_enrol
from members.services.letters import transfer_letter_issue
from members.services.transfers import transfer_send
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.events.factories import mark_came
from tests.members.factories import MemberFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
R = AppraisalResult.Result


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


SCOPED = {
    "secretary_a": 200,
    "secretary_b": 404,
    "street_staff": 200,
    "other_street_staff": 404,
    "district_staff": 200,
    "anonymous": 403,
}


def test_appraisal_api_share_results_and_follow_up(appraisal, users):
    secretary = users["secretary_a"]
    rows = {row.member.name: row for row in appraisal.results.select_related("member")}
    appraisal_result_record(result=rows["甲"], value=R.EXCELLENT, actor=secretary)
    appraisal_result_record(
        result=rows["丙"], value=R.UNQUALIFIED, reason="长期不参加组织生活", actor=secretary
    )
    appraisal_follow_up_record(
        result=rows["丙"],
        action="correction",
        on=dt.date(2026, 1, 5),
        until=dt.date(2026, 7, 5),
        actor=secretary,
    )
    url = f"/api/v1/appraisals/{appraisal.pk}/"
    assert_role_matrix(users, url, SCOPED)
    data = _get(secretary, url).json()
    assert (data["year"], data["listed"], data["appraised"], data["share"]) == (2025, 3, 2, 67)
    assert data["by_result"] == {"excellent": 1, "qualified": 0, "basically_qualified": 0, "unqualified": 1}
    unqualified = next(r for r in data["results"] if r["member"]["name"] == "丙")
    assert unqualified["reason"] == "长期不参加组织生活"
    assert unqualified["follow_ups"] == [
        {"action": "correction", "on": "2026-01-05", "until": "2026-07-05", "note": ""}
    ]
    listed = _get(users["secretary_b"], "/api/v1/appraisals/").json()
    assert listed.get("results", listed) == []  # another branch's appraisal is not listed


def test_party_class_api_trainee_hours_from_attendance(school, activist, users):
    party_class, sessions = school
    for session in sessions:
        mark_came(session, activist, users["secretary_a"])
    url = f"/api/v1/party-classes/{party_class.pk}/"
    assert_role_matrix(users, url, SCOPED)
    data = _get(users["district_staff"], url).json()
    assert (data["trainee_count"], data["session_count"]) == (1, 3)
    assert data["trainees"] == [
        {
            "member": {"id": activist.pk, "name": activist.name},
            "stage": "activist",
            "class_hours": 24,
            "days": "3.0",
            "completed": True,
        }
    ]
    assert [s["class_hours"] for s in data["sessions"]] == [8, 8, 8]


def test_party_class_detail_queries_flat_with_trainees(school, activist, pos, users):
    party_class, _sessions = school
    url = f"/api/v1/party-classes/{party_class.pk}/"
    client = Client()
    client.force_login(users["secretary_a"])
    few, _response = get_with_queries(client, url)
    for _ in range(4):
        member = MemberFactory(
            party_organization=pos.branch_a,
            stage="activist",
            admitted_on=None,
            full_on=None,
            candidate_on=None,
        )
        party_class_enrol(party_class=party_class, member=member, actor=users["secretary_a"])
    many, response = get_with_queries(client, url)
    assert len(response.json()["trainees"]) == 5 and many == few


def test_transfer_letter_api_scoped_and_searchable_by_number(pos, users):
    transfer = transfer_send(
        member=MemberFactory(party_organization=pos.branch_a, name="转出甲"),
        to_party_organization=pos.branch_b,
        sent_on=dt.date(2026, 1, 4),
        actor=SYSTEM,
    )
    letter = transfer_letter_issue(transfer=transfer, actor=users["secretary_a"], on=dt.date(2026, 1, 5))
    url = f"/api/v1/transfer-letters/{letter.pk}/"
    # both sides see the letter: the receiving branch confirms its receipt
    assert_role_matrix(users, url, {**SCOPED, "secretary_b": 200, "other_street_staff": 200})
    rows = _get(users["district_staff"], "/api/v1/transfer-letters/?number=0001").json()
    rows = rows.get("results", rows)
    assert [(r["number"], r["member_name"], r["to"]) for r in rows] == [
        ("330499〔2026〕0001号", "转出甲", pos.branch_b.name)
    ]
    rows = _get(users["district_staff"], "/api/v1/transfer-letters/?number=0002").json()
    assert rows.get("results", rows) == []
