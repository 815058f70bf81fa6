"""Corrections of a member's dated history (issue 12): staff correct or remove a stage step or status
change, with an audit entry; the corrected history is re-checked against periods and a refusal names
both rows. Service, admin and API paths; out of scope answers 404."""

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client

from members.models import Member, StageChange
from members.services.stage_corrections import stage_change_correct, stage_change_remove
from members.services.status import member_mark_left, member_reinstate, member_suspend
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory
from tests.members.stage_builders import candidate_for_vote

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def full_members(pos):
    return [MemberFactory(party_organization=pos.branch_a, name=f"介绍人{n}") for n in range(3)]


@pytest.fixture
def candidate(pos, full_members):
    """Activist 2022-03-01 (contact: 介绍人0), candidate 2023-03-01 (introducers: 介绍人0, 介绍人1)."""
    return candidate_for_vote(pos, full_members)


def step(member, stage) -> StageChange:
    return StageChange.objects.get(member=member, to_stage=stage, to_status="", from_stage__gt="")


def registration(member) -> StageChange:
    return StageChange.objects.get(member=member, from_stage="")


def refusal(caught, field="on") -> str:
    return " ".join(caught.value.message_dict[field])


# --- the service ------------------------------------------------------------------------------------


def test_stage_step_correction_moves_member_date_and_is_audited(candidate, district_staff):
    row = step(candidate, "candidate")
    corrected = stage_change_correct(
        change=row, on=D(2023, 4, 1), document="发展〔2023〕2号", actor=district_staff
    )
    candidate.refresh_from_db()
    assert (corrected.on, corrected.document, candidate.candidate_on) == (
        D(2023, 4, 1),
        "发展〔2023〕2号",
        D(2023, 4, 1),
    )
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(StageChange), object_pk=str(row.pk), action=1
    )
    assert entry.changes_dict["on"] == ["2023-03-01", "2023-04-01"]
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_pk=str(candidate.pk), action=1
    ).exists()


def test_stage_step_correction_before_cultivation_ends_refused_naming_both_rows(candidate, district_staff):
    row, activist = step(candidate, "candidate"), step(candidate, "activist")
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(change=row, on=D(2022, 12, 1), actor=district_staff)
    assert refusal(caught) == (
        f"Correcting “Candidate for membership” on 2022-12-01 (stage change no. {row.pk}) would break "
        f"the history: “Candidate for membership” on 2022-12-01 (stage change no. {row.pk}) comes before "
        "the political review passed on 2023-02-01. "
        f"“Candidate for membership” on 2022-12-01 (stage change no. {row.pk}) is less than 12 months "
        f"after “Activist” on 2022-03-01 (stage change no. {activist.pk})."
    )
    candidate.refresh_from_db()
    assert candidate.candidate_on == D(2023, 3, 1)  # nothing written


def test_earlier_step_moved_after_later_one_refused_naming_both_rows(candidate, district_staff):
    row, later = step(candidate, "activist"), step(candidate, "candidate")
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(change=row, on=D(2023, 6, 1), actor=district_staff)
    assert (
        f"“Candidate for membership” on 2023-03-01 (stage change no. {later.pk}) comes before "
        f"“Activist” on 2023-06-01 (stage change no. {row.pk})."
    ) in refusal(caught)


def test_status_change_moved_over_a_step_refused_naming_both_rows(pos, district_staff):
    member = MemberFactory(party_organization=pos.branch_a, name="王某")
    member_suspend(member=member, on=D(2025, 7, 1), out_of_contact_since=D(2025, 1, 1), actor=SYSTEM)
    suspension = StageChange.objects.get(member=member, to_status="suspended")
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(change=suspension, on=D(2015, 1, 1), actor=district_staff)
    assert (
        f"“Full member” on 2015-06-01 (stage change no. {registration(member).pk}): "
        "On 2015-06-01 王某 was “Membership suspended” (the status change of 2015-01-01)."
    ) in refusal(caught)
    assert refusal(caught).startswith(
        f"Correcting “Membership suspended” from 2015-01-01 (stage change no. {suspension.pk})"
    )
    # a move inside the member's time as a full member is kept, and today's status still follows it
    stage_change_correct(change=suspension, on=D(2025, 8, 1), actor=district_staff)
    member.refresh_from_db()
    assert member.status == "suspended"


def test_correction_breaking_another_members_step_refused_naming_it(candidate, full_members, district_staff):
    # 介绍人0 introduced the candidate on 2023-03-01: their full membership cannot move past that day
    introducer = full_members[0]
    row = registration(introducer)
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(change=row, on=D(2023, 6, 1), actor=district_staff)
    candidate_row = step(candidate, "candidate")
    assert (
        f"“Candidate for membership” on 2023-03-01 (stage change no. {candidate_row.pk}) "
        f"of {candidate.name} needs 介绍人0"
    ) in refusal(caught)
    assert "introducer" in refusal(caught) and "cultivation contact" in refusal(caught)


def test_remove_latest_step_returns_member_to_the_stage_before(candidate, district_staff):
    row = step(candidate, "candidate")
    stage_change_remove(change=row, actor=district_staff)
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.candidate_on) == ("activist", None)
    assert not StageChange.objects.filter(pk=row.pk).exists()
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StageChange), object_pk=str(row.pk), action=2
    ).exists()


def test_remove_step_with_a_later_one_refused_naming_both(candidate, district_staff):
    row, later = step(candidate, "activist"), step(candidate, "candidate")
    with pytest.raises(ValidationError) as caught:
        stage_change_remove(change=row, actor=district_staff)
    assert refusal(caught, NON_FIELD_ERRORS) == (
        f"“Candidate for membership” on 2023-03-01 (stage change no. {later.pk}) follows "
        f"“Activist” on 2022-03-01 (stage change no. {row.pk}); remove or correct it first."
    )


def test_remove_registration_refused(pos, district_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        stage_change_remove(change=registration(member), actor=district_staff)
    assert "registration; correct its date instead" in refusal(caught, NON_FIELD_ERRORS)


def test_remove_status_change_restores_status(pos, district_staff):
    member = member_mark_left(
        member=MemberFactory(party_organization=pos.branch_a), on=D(2025, 1, 1), actor=SYSTEM
    )
    assert member.status == "left"
    stage_change_remove(change=StageChange.objects.get(member=member, to_status="left"), actor=district_staff)
    member.refresh_from_db()
    assert member.status == "active"


def test_corrections_refused_to_secretary_and_out_of_scope_staff(candidate, secretary_a, other_street_staff):
    row = step(candidate, "candidate")
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(change=row, on=D(2023, 4, 1), actor=secretary_a)
    assert "Only district or street staff" in refusal(caught, NON_FIELD_ERRORS)
    with pytest.raises(ValidationError):
        stage_change_remove(change=row, actor=other_street_staff)
    with pytest.raises(TypeError):
        stage_change_correct(change=row, on=D(2023, 4, 1), actor=None)
    assert StageChange.objects.get(pk=row.pk).on == D(2023, 3, 1)


def test_future_date_refused(candidate, district_staff):
    with pytest.raises(ValidationError) as caught:
        stage_change_correct(
            change=step(candidate, "candidate"),
            on=dt.date.today() + dt.timedelta(days=1),
            actor=district_staff,
        )
    assert "future" in refusal(caught)


# --- admin ------------------------------------------------------------------------------------------


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_admin_stage_change_correct_and_refusal_shown(candidate, street_staff):
    row = step(candidate, "candidate")
    client = _client(street_staff)
    url = f"/admin/members/stagechange/{row.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="on"' in page
    member_page = client.get(f"/admin/members/member/{candidate.pk}/change/").content.decode()
    assert url in member_page  # the member's timeline links each row to its correction page
    refused = client.post(url, {"on": "2022-12-01", "document": "", "note": ""})
    assert refused.status_code == 200
    assert "is less than 12 months after" in refused.content.decode()
    response = client.post(url, {"on": "2023-04-01", "document": "更正", "note": "日期录入错误"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.candidate_on == D(2023, 4, 1)


def test_admin_stage_change_remove(candidate, street_staff):
    row = step(candidate, "candidate")
    response = _client(street_staff).post(f"/admin/members/stagechange/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == "activist"


def test_admin_stage_change_remove_refused_shows_message(candidate, street_staff):
    row = step(candidate, "activist")
    client = _client(street_staff)
    response = client.post(f"/admin/members/stagechange/{row.pk}/delete/", {"post": "yes"}, follow=True)
    assert "remove or correct it first" in response.content.decode()
    assert StageChange.objects.filter(pk=row.pk).exists()


def test_admin_stage_change_out_of_scope_404(candidate, other_street_staff):
    row = step(candidate, "candidate")
    client = _client(other_street_staff)
    assert client.get(f"/admin/members/stagechange/{row.pk}/change/").status_code == 404
    assert (
        client.post(f"/admin/members/stagechange/{row.pk}/change/", {"on": "2023-04-01"}).status_code == 404
    )
    assert client.post(f"/admin/members/stagechange/{row.pk}/delete/", {"post": "yes"}).status_code == 404
    assert StageChange.objects.get(pk=row.pk).on == D(2023, 3, 1)


# --- API --------------------------------------------------------------------------------------------


def _url(member, row):
    return f"/api/v1/members/{member.pk}/history/{row.pk}/"


def _patch(user, url, body):
    client = _client(user) if user is not None else Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_api_stage_change_correct_refuse_and_remove(candidate, street_staff):
    row = step(candidate, "candidate")
    refused = _patch(street_staff, _url(candidate, row), {"on": "2022-12-01"})
    assert refused.status_code == 400
    assert f"(stage change no. {step(candidate, 'activist').pk})" in " ".join(refused.json()["on"])
    bad = _patch(street_staff, _url(candidate, row), {"on": "2023-02-30"})
    assert bad.status_code == 400 and "on" in bad.json()
    done = _patch(street_staff, _url(candidate, row), {"on": "2023-04-01"})
    assert done.status_code == 200 and done.json()["on"] == "2023-04-01"
    removed = _client(street_staff).delete(_url(candidate, row))
    assert removed.status_code == 204
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.candidate_on) == ("activist", None)


def test_api_stage_change_role_matrix(candidate, role_users, pos):
    row = step(candidate, "candidate")
    other = MemberFactory(party_organization=pos.branch_a)
    body = {"document": "更正"}
    got = {
        role: _patch(role_users[role], _url(candidate, row), body).status_code
        for role in (
            "superuser",
            "district_staff",
            "street_staff",
            "other_street_staff",
            "secretary",
            "org_contact",
        )
    }
    assert got == {
        "superuser": 200,
        "district_staff": 200,
        "street_staff": 200,
        "other_street_staff": 404,
        "secretary": 404,  # the fixture's secretary keeps another branch
        "org_contact": 403,
    }
    assert _patch(None, _url(candidate, row), body).status_code in (401, 403)
    # a row of another member under this member's URL
    assert _patch(role_users["district_staff"], _url(other, row), body).status_code == 404


def test_api_stage_change_own_secretary_refused(candidate, secretary_a):
    row = step(candidate, "candidate")
    response = _patch(secretary_a, _url(candidate, row), {"on": "2023-04-01"})
    assert response.status_code == 403
    assert StageChange.objects.get(pk=row.pk).on == D(2023, 3, 1)


def test_admin_stage_change_list_history_and_add_pages_scoped(candidate, street_staff, other_street_staff):
    row = step(candidate, "candidate")
    client = _client(street_staff)
    listing = client.get("/admin/members/stagechange/")
    assert listing.status_code == 200 and candidate.name in listing.content.decode()
    assert client.get(f"/admin/members/stagechange/{row.pk}/history/").status_code == 200
    assert client.get(f"/admin/members/stagechange/{row.pk}/").status_code == 302  # to the change page
    assert client.get("/admin/members/stagechange/add/").status_code == 403  # steps come from the services
    other = _client(other_street_staff)
    assert candidate.name not in other.get("/admin/members/stagechange/").content.decode()
    assert other.get(f"/admin/members/stagechange/{row.pk}/history/").status_code == 404


def test_remove_suspension_before_its_reinstatement_refused_naming_both(pos, district_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    member_suspend(member=member, on=D(2024, 7, 1), out_of_contact_since=D(2024, 1, 1), actor=SYSTEM)
    member_reinstate(member=member, on=D(2025, 1, 1), actor=SYSTEM)
    suspension = StageChange.objects.get(member=member, to_status="suspended")
    with pytest.raises(ValidationError) as caught:
        stage_change_remove(change=suspension, actor=district_staff)
    assert refusal(caught, NON_FIELD_ERRORS) == (
        f"Removing “Membership suspended” from 2024-07-01 (stage change no. {suspension.pk}) would break the "
        "history: “Active” from 2025-01-01 (the status change of 2025-01-01) cannot follow “Active” "
        "(the start of the record)."
    )
    assert StageChange.objects.filter(pk=suspension.pk).exists()
