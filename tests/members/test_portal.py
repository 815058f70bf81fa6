import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.id_numbers import make_id_number
from members.models import Member, StageChange, Transfer
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
LIST = reverse("members_portal:list")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _detail(member):
    return reverse("members_portal:detail", args=[member.pk])


def _step(member, step):
    return reverse("members_portal:step", args=[member.pk, step])


def test_members_portal_list_own_members_masked(pos, secretary_a, project_catalogue):
    own = MemberFactory(party_organization=pos.branch_a, phone="13812345678", stage="full")
    other = MemberFactory(party_organization=pos.branch_b)
    body = _client(secretary_a).get(LIST).content.decode()
    assert own.name in body and own.id_number_masked in body and "138****5678" in body
    assert own.id_number not in body and "13812345678" not in body
    assert other.name not in body
    # the phone layout's cell labels (translated once for the page) and the stage's label
    assert 'data-label="姓名"' in body and 'data-label="发展阶段">正式党员</td>' in body


def test_members_portal_id_number_lookup_gone_for_secretaries(pos, secretary_a):
    # An exact match would confirm a guessed number; secretaries may not reveal, so they get
    # no exact lookup: not in the body (405), not as a name search in the URL.
    own, other = (
        MemberFactory(party_organization=pos.branch_a),
        MemberFactory(party_organization=pos.branch_a),
    )
    client = _client(secretary_a)
    assert client.post(LIST, {"id_number": own.id_number}).status_code == 405
    response = client.get(LIST, {"q": own.id_number})
    assert not response.context["page"].object_list  # an ID-shaped term matches no name
    assert "Find by exact resident ID number" not in client.get(LIST).content.decode()
    assert other.pk  # both exist; neither was confirmed


def test_members_portal_detail_role_matrix(pos, role_users, secretary_a, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    role_users = {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}
    expected = {
        "secretary_a": 200,
        "secretary_b": 404,
        "secretary": 404,  # no party organization
        "superuser": 404,  # staff keep members in the admin
        "district_staff": 404,
        "org_contact": 404,
        "anonymous": 302,
    }
    assert_role_matrix(role_users, _detail(member), expected)


@pytest.mark.parametrize("step", ["activist", "candidate", "transfer", "status"])
def test_members_portal_other_branch_step_404_get_and_post(pos, secretary_b, step):
    member = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2022, 1, 1))
    client = _client(secretary_b)
    assert client.get(_step(member, step)).status_code == 404
    assert client.post(_step(member, step), {"on": "2022-05-01"}).status_code == 404
    assert client.get(reverse("members_portal:edit", args=[member.pk])).status_code == 404
    assert Member.objects.get(pk=member.pk).stage == "applicant"


def test_members_portal_add_registers_applicant(pos, secretary_a):
    number = make_id_number("110101", dt.date(1995, 3, 3), 12)
    response = _client(secretary_a).post(
        reverse("members_portal:add"),
        {
            "name": "吴敏",
            "id_number": number,
            "ethnicity": "汉族",
            "party_organization": pos.branch_a.pk,
            "affiliation": "formal",
            "stage": "applicant",
            "applied_on": "2025-01-02",
        },
    )
    member = Member.objects.get(name="吴敏")
    assert response.status_code == 302
    assert (member.gender, member.party_organization) == ("female", pos.branch_a)
    assert StageChange.objects.filter(member=member, recorded_by=secretary_a).exists()


def test_members_portal_add_bad_check_char_says_expected(pos, secretary_a):
    number = make_id_number("110101", dt.date(1995, 3, 3), 12)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    response = _client(secretary_a).post(
        reverse("members_portal:add"),
        {
            "name": "吴敏",
            "id_number": wrong,
            "ethnicity": "汉族",
            "party_organization": pos.branch_a.pk,
            "affiliation": "formal",
            "stage": "applicant",
            "applied_on": "2025-01-02",
        },
    )
    assert response.status_code == 200
    assert number[17] in response.context["form"].errors["id_number"][0]
    assert not Member.objects.exists()


def test_members_portal_add_in_other_branch_refused(pos, secretary_a):
    response = _client(secretary_a).post(
        reverse("members_portal:add"),
        {
            "name": "吴敏",
            "id_number": make_id_number("110101", dt.date(1995, 3, 3), 12),
            "ethnicity": "汉族",
            "party_organization": pos.branch_b.pk,
            "affiliation": "formal",
            "stage": "applicant",
            "applied_on": "2025-01-02",
        },
    )
    assert "party_organization" in response.context["form"].errors
    assert not Member.objects.exists()


def test_members_portal_edit_keeps_number_when_empty(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(secretary_a)
    page = client.get(reverse("members_portal:edit", args=[member.pk])).content.decode()
    assert member.id_number not in page
    response = client.post(
        reverse("members_portal:edit", args=[member.pk]),
        {"name": "新名字", "id_number": "", "phone": "", "ethnicity": "汉族", "affiliation": "formal"},
    )
    assert response.status_code == 302, response.context["form"].errors
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.name, fresh.id_number) == ("新名字", member.id_number)


def test_members_portal_activist_step_runs_service(pos, secretary_a):
    from members.services.recruitment_steps import recruitment_record

    contact = MemberFactory(party_organization=pos.branch_a)
    member = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=dt.date(2022, 1, 1))
    recruitment_record(member=member, kind="talk", on=dt.date(2022, 1, 15), actor=SYSTEM)
    response = _client(secretary_a).post(
        _step(member, "activist"), {"on": "2022-05-01", "contacts": [contact.pk], "document": "积字1号"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.stage == "activist"
    assert StageChange.objects.filter(member=member, to_stage="activist", recorded_by=secretary_a).exists()


def test_members_portal_candidate_step_shows_every_reason(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a, stage="activist")
    response = _client(secretary_a).post(_step(member, "candidate"), {"on": "2012-10-01"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "on" in errors  # fewer than 12 months as an activist
    assert len(errors["__all__"]) == 4  # introducers, training, political review, development plan
    assert "training_hours" not in response.context["form"].fields
    assert Member.objects.get(pk=member.pk).stage == "activist"


def test_members_portal_extend_probation_out_of_range_message(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a, stage="probationary")
    response = _client(secretary_a).post(_step(member, "extend"), {"months": 3})
    assert "6" in response.context["form"].errors["months"][0]


def test_members_portal_transfer_send_and_receive(pos, secretary_a, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    response = _client(secretary_a).post(
        _step(member, "transfer"), {"to_party_organization": pos.branch_b.pk, "sent_on": "2025-03-01"}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=member)
    client_b = _client(secretary_b)
    page = client_b.get(reverse("members_portal:transfers"))
    assert list(page.context["incoming"]) == [transfer]
    client_b.post(
        reverse("members_portal:transfer_receive", args=[transfer.pk]), {"received_on": "2025-03-04"}
    )
    member.refresh_from_db()
    assert member.party_organization == pos.branch_b
    assert _client(secretary_a).get(_detail(member)).status_code == 404  # now branch B's member


def test_members_portal_receive_by_sender_refused(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    _client(secretary_a).post(
        _step(member, "transfer"), {"to_party_organization": pos.branch_b.pk, "sent_on": "2025-03-01"}
    )
    transfer = Transfer.objects.get(member=member)
    _client(secretary_a).post(
        reverse("members_portal:transfer_receive", args=[transfer.pk]), {"received_on": "2025-03-04"}
    )
    assert Transfer.objects.get(pk=transfer.pk).status == "pending"


def test_members_portal_unrelated_transfer_404(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    _client_a = Transfer.objects.create(
        member=member,
        direction="internal",
        from_party_organization=pos.branch_a,
        to_party_organization=pos.branch_a2,
        sent_on=dt.date(2025, 1, 1),
    )
    response = _client(secretary_b).post(reverse("members_portal:transfer_cancel", args=[_client_a.pk]))
    assert response.status_code == 404
    assert Transfer.objects.get(pk=_client_a.pk).status == "pending"


def test_members_portal_list_query_count_constant(pos, secretary_a):
    client = _client(secretary_a)
    MemberFactory.create_batch(5, party_organization=pos.branch_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    MemberFactory.create_batch(45, party_organization=pos.branch_a)
    assert count() == small


def test_members_portal_list_reads_only_what_its_rows_show(pos, secretary_a, project_catalogue):
    """The rows' query joins the party organization alone and selects the shown columns: no region, no
    employer row built for every member (members.views.LIST_COLUMNS); every column still shows."""
    member = MemberFactory(party_organization=pos.branch_a, phone="13812345678", stage="full")
    client = _client(secretary_a)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(LIST).content.decode()
    rows = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "members_member"."id"') and "LIMIT" in q["sql"]
    ]
    assert len(rows) == 1, rows
    assert '"orgs_region"' not in rows[0] and '"orgs_organization"' not in rows[0]
    assert '"members_member"."birth_date"' not in rows[0]
    assert member.name in body and member.id_number_masked in body and "138****5678" in body
    assert f">{pos.branch_a.name}</td>" in body
    assert 'data-label="发展阶段">正式党员</td>' in body
    assert (
        f">{member.get_status_display()}</td>" in body and f">{member.get_affiliation_display()}</td>" in body
    )
