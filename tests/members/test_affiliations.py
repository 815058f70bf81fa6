"""Temporary and flowing members: the periods service (refusals naming the field, periods over their
dates, Member.affiliation following the open one), the portal pages, admin and API role × view."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.actors import SystemActor
from accounts.models import Role
from members.models import AffiliationRecord, Member
from members.services.affiliations import affiliation_contact_record, affiliation_end, affiliation_start
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.clock import on_collection_day
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("tests")
NOW, _on_collection_day = on_collection_day()
TODAY = timezone.localdate(NOW)
AGO = TODAY - dt.timedelta(days=400)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _flowing(member, *, actor=SYSTEM, starts_on=AGO, **extra):
    return affiliation_start(
        member=member,
        kind="flowing",
        starts_on=starts_on,
        location=extra.pop("location", "广东省深圳市"),
        contact_party_organization=extra.pop("contact", member.party_organization),
        actor=actor,
        **extra,
    )


def _temporary(member, pos, *, actor=SYSTEM, **extra):
    return affiliation_start(
        member=member,
        kind="temporary",
        starts_on=extra.pop("starts_on", AGO),
        holding_party_organization=extra.pop("holding", pos.temporary),
        actor=actor,
        **extra,
    )


# --- service ----------------------------------------------------------------------------------------


def test_affiliation_start_refuses_none_actor(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(TypeError):
        _flowing(member, actor=None)
    assert not AffiliationRecord.objects.exists()


def test_temporary_member_with_formal_relation_in_system_or_outside(pos, street_staff):
    inside = MemberFactory(party_organization=pos.branch_a)
    outside = MemberFactory(party_organization=pos.temporary)

    a = _temporary(inside, pos, actor=street_staff, formal_party_organization=pos.branch_a)
    b = _temporary(outside, pos, formal_outside_body="江苏省无锡市某公司党支部")

    assert a.formal_relation == pos.branch_a.name and a.recorded_by == street_staff
    assert b.formal_relation == "江苏省无锡市某公司党支部" and b.recorded_by_system == "tests"
    assert set(
        Member.objects.filter(pk__in=[inside.pk, outside.pk]).values_list("affiliation", flat=True)
    ) == {"temporary"}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"formal_party_organization": None}, "formal_party_organization"),  # neither
        ({"formal_outside_body": "外单位"}, "formal_party_organization"),  # both
        ({"holding": None}, "holding_party_organization"),
        ({"holding": "branch_b"}, "holding_party_organization"),  # not a temporary branch
        ({"starts_on": TODAY + dt.timedelta(days=1)}, "starts_on"),
    ],
)
def test_temporary_member_refusals_name_the_field(pos, extra, field):
    member = MemberFactory(party_organization=pos.branch_a)
    extra = dict(extra)
    if extra.get("holding") == "branch_b":
        extra["holding"] = pos.branch_b
    extra.setdefault("formal_party_organization", pos.branch_a)
    if extra["formal_party_organization"] is None:
        extra.pop("formal_party_organization")
    with pytest.raises(ValidationError) as caught:
        _temporary(member, pos, **extra)
    assert field in caught.value.message_dict
    assert not AffiliationRecord.objects.exists()
    member.refresh_from_db()
    assert member.affiliation == "formal"


def test_flowing_member_refuses_missing_place_and_contact(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        affiliation_start(member=member, kind="flowing", starts_on=AGO, actor=SYSTEM)
    assert {"location", "contact_party_organization"} <= set(caught.value.message_dict)


def test_applicant_is_never_temporary_or_flowing(pos):
    applicant = MemberFactory(party_organization=pos.branch_a, stage="applicant")
    with pytest.raises(ValidationError):
        _flowing(applicant)


def test_periods_never_overlap_but_a_past_one_may_be_back_dated(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    current = _flowing(member, starts_on=TODAY - dt.timedelta(days=30))
    # a period before the current one, closed: valid over its own dates
    past = _temporary(
        member,
        pos,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
        formal_outside_body="外地党委",
    )
    assert past.ends_on == dt.date(2020, 12, 31)
    with pytest.raises(ValidationError) as caught:
        _temporary(member, pos, starts_on=dt.date(2020, 6, 1), formal_outside_body="外地党委")
    assert "starts_on" in caught.value.message_dict
    member.refresh_from_db()
    assert member.affiliation == "flowing"  # the back-dated, closed period does not change today's
    affiliation_end(record=current, ends_on=TODAY, actor=SYSTEM)
    member.refresh_from_db()
    assert member.affiliation == "flowing"  # still open today (ends today)
    assert AffiliationRecord.objects.open_on(TODAY + dt.timedelta(days=1)).count() == 0


def test_end_yesterday_returns_member_to_formal(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    record = _flowing(member)
    affiliation_end(record=record, ends_on=TODAY - dt.timedelta(days=1), actor=SYSTEM)
    member.refresh_from_db()
    assert member.affiliation == "formal"
    with pytest.raises(ValidationError) as caught:
        affiliation_end(record=record, ends_on=TODAY, actor=SYSTEM)
    assert "ends_on" in caught.value.message_dict


def test_contact_moves_forward_only_and_inside_the_period(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    record = _flowing(member)
    affiliation_contact_record(record=record, on=TODAY - dt.timedelta(days=10), actor=secretary_a)
    record = affiliation_contact_record(record=record, on=TODAY - dt.timedelta(days=50), actor=secretary_a)
    assert record.last_contact_on == TODAY - dt.timedelta(days=10)
    for bad in (AGO - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            affiliation_contact_record(record=record, on=bad, actor=secretary_a)
        assert "on" in caught.value.message_dict


def test_secretary_links_only_inside_their_scope(pos, secretary_a):
    """The temporary branch sits beside branch A, not under it: staff or its own secretary link it."""
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        _temporary(member, pos, actor=secretary_a, formal_party_organization=pos.branch_a)
    assert "holding_party_organization" in caught.value.message_dict


def test_secretary_out_of_scope_refused(pos, secretary_b):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError):
        _flowing(member, actor=secretary_b, contact=pos.branch_b)
    record = _flowing(member)
    with pytest.raises(ValidationError):
        affiliation_contact_record(record=record, on=TODAY, actor=secretary_b)
    record.refresh_from_db()
    assert record.last_contact_on is None


def test_contact_branch_secretary_sees_and_records(pos, secretary_b):
    """The branch keeping contact is another street's: its secretary sees the period, not the member."""
    member = MemberFactory(party_organization=pos.branch_a)
    record = _flowing(member, contact=pos.branch_b)
    assert list(AffiliationRecord.objects.visible_to(secretary_b)) == [record]
    assert not Member.objects.visible_to(secretary_b).filter(pk=member.pk).exists()
    affiliation_contact_record(record=record, on=TODAY, actor=secretary_b)


# --- portal -----------------------------------------------------------------------------------------


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


PORTAL = {
    "secretary_a": 200,
    "secretary_b": 404,
    "district_staff": 404,
    "org_contact": 404,
    "superuser": 404,
    "anonymous": 302,
}


def test_affiliation_portal_pages_role_matrix(pos, users):
    member = MemberFactory(party_organization=pos.branch_a)
    record = _flowing(member)
    assert_role_matrix(users, reverse("members_portal:affiliation", args=[record.pk]), PORTAL)
    assert_role_matrix(users, reverse("members_portal:affiliation_add", args=[member.pk]), PORTAL)
    assert_role_matrix(users, reverse("members_portal:affiliations"), {**PORTAL, "secretary_b": 200})
    posted = {**PORTAL, "secretary_a": 302}
    assert_role_matrix(
        users,
        reverse("members_portal:affiliation_contact", args=[record.pk]),
        posted,
        method="post",
        data={"on": TODAY.isoformat()},
    )


def test_affiliation_end_post_role_matrix(pos, users):
    record = _flowing(MemberFactory(party_organization=pos.branch_a))
    url = reverse("members_portal:affiliation_end", args=[record.pk])
    data = {"ends_on": TODAY.isoformat()}
    others = {role: code for role, code in PORTAL.items() if role != "secretary_a"}
    assert_role_matrix(users, url, others, method="post", data=data)
    record.refresh_from_db()
    assert record.ends_on is None  # nobody but the branch's secretary ended it
    assert _client(users["secretary_a"]).post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.ends_on == TODAY


def test_affiliation_list_shows_own_and_lapsed_only(pos, secretary_a, secretary_b, project_catalogue):
    mine = _flowing(MemberFactory(party_organization=pos.branch_a, name="流动甲"))
    _flowing(MemberFactory(party_organization=pos.branch_b, name="流动乙"))
    _temporary(
        MemberFactory(party_organization=pos.branch_a, name="临时丙"), pos, formal_outside_body="外地党委"
    )
    body = _client(secretary_a).get(reverse("members_portal:affiliations")).content.decode()
    assert "流动甲" in body and "临时丙" in body and "流动乙" not in body
    assert 'data-testid="contact-lapsed"' in body  # 400 days without a contact
    # the phone layout's cell labels, translated once and repeated on every row
    assert body.count('data-label="姓名"') == 2 and body.count('data-label="类型"') == 2
    affiliation_contact_record(record=mine, on=TODAY, actor=secretary_a)
    body = _client(secretary_a).get(reverse("members_portal:affiliations") + "?kind=flowing").content.decode()
    assert "流动甲" in body and "临时丙" not in body and 'data-testid="contact-lapsed"' not in body
    assert "流动甲" not in _client(secretary_b).get(reverse("members_portal:affiliations")).content.decode()


def test_affiliation_list_query_count_flat(pos, secretary_a):
    client = _client(secretary_a)
    _flowing(MemberFactory(party_organization=pos.branch_a))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("members_portal:affiliations"))
    for _n in range(4):
        _flowing(MemberFactory(party_organization=pos.branch_a))
        _temporary(
            MemberFactory(party_organization=pos.branch_a), pos, formal_party_organization=pos.branch_a2
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("members_portal:affiliations"))
    assert len(many) == len(few)


def test_portal_add_form_saves_every_field_and_shows_errors(pos):
    committee_secretary = UserFactory(role=Role.SECRETARY, party_organization=pos.committee)
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(committee_secretary)
    url = reverse("members_portal:affiliation_add", args=[member.pk])
    response = client.post(url, {"kind": "temporary", "starts_on": AGO.isoformat()})
    assert response.status_code == 200
    assert "Choose the temporary branch holding the member." in response.content.decode()
    assert not AffiliationRecord.objects.exists()
    response = client.post(
        url,
        {
            "kind": "temporary",
            "starts_on": AGO.isoformat(),
            "formal_outside_body": "上海市某律所党支部",
            "holding_party_organization": pos.temporary.pk,
            "note": "项目驻点",
        },
    )
    record = AffiliationRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "members_portal:affiliation", args=[record.pk]
    )
    assert (record.kind, record.starts_on, record.formal_outside_body, record.holding_party_organization) == (
        "temporary",
        AGO,
        "上海市某律所党支部",
        pos.temporary,
    )
    assert record.note == "项目驻点"


def test_member_list_filters_by_affiliation(pos, secretary_a):
    _flowing(MemberFactory(party_organization=pos.branch_a, name="流动甲"))
    MemberFactory(party_organization=pos.branch_a, name="正式乙")
    body = _client(secretary_a).get(reverse("members_portal:list") + "?affiliation=flowing").content.decode()
    assert "流动甲" in body and "正式乙" not in body


# --- admin and API ------------------------------------------------------------------------------------


def test_affiliation_admin_role_matrix(pos, users):
    record = _flowing(MemberFactory(party_organization=pos.branch_b))
    expected = {"superuser": 200, "district_staff": 200, "other_street_staff": 200, "street_staff": 404}
    assert_role_matrix(users, reverse("admin:members_affiliationrecord_change", args=[record.pk]), expected)
    changelist = reverse("admin:members_affiliationrecord_changelist")
    assert_role_matrix(users, changelist, {"district_staff": 200, "secretary_a": 302, "anonymous": 302})
    body = _client(users["street_staff"]).get(changelist).content.decode()
    assert record.member.name not in body


def test_affiliation_admin_add_goes_through_the_service(pos, district_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(district_staff)
    url = reverse("admin:members_affiliationrecord_add")
    data = {"member": member.pk, "kind": "flowing", "starts_on": AGO.isoformat(), "location": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "Say where the member is." in response.content.decode()
    data.update(location="浙江省杭州市", contact_party_organization=pos.branch_a.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    record = AffiliationRecord.objects.get()
    assert record.recorded_by == district_staff and record.location == "浙江省杭州市"
    member.refresh_from_db()
    assert member.affiliation == "flowing"


def test_affiliation_api_scoped_and_contact(pos, users):
    record = _flowing(MemberFactory(party_organization=pos.branch_a))
    detail = f"/api/v1/member-affiliations/{record.pk}/"
    assert_role_matrix(
        users,
        detail,
        {
            "secretary_a": 200,
            "secretary_b": 404,
            "street_staff": 200,
            "other_street_staff": 404,
            "anonymous": 403,
        },
    )
    response = _client(users["secretary_a"]).post(detail + "contact/", {"on": "2099-01-01"})
    assert response.status_code == 400 and "on" in response.json()
    response = _client(users["secretary_a"]).post(detail + "contact/", {"on": TODAY.isoformat()})
    assert response.status_code == 200 and response.json()["last_contact_on"] == TODAY.isoformat()
    assert (
        _client(users["secretary_b"]).post(detail + "contact/", {"on": TODAY.isoformat()}).status_code == 404
    )


def test_fields_of_the_other_kind_are_refused_not_dropped(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        _flowing(member, formal_outside_body="外单位", holding_party_organization=pos.temporary)
    assert {"formal_outside_body", "holding_party_organization"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        _temporary(member, pos, formal_outside_body="外单位", location="深圳")
    assert set(caught.value.message_dict) == {"location"}
    assert not AffiliationRecord.objects.exists()


def test_affiliation_api_filters_by_kind_and_member(pos, secretary_a):
    flowing = _flowing(MemberFactory(party_organization=pos.branch_a))
    _temporary(MemberFactory(party_organization=pos.branch_a), pos, formal_outside_body="外地党委")
    client = _client(secretary_a)
    rows = client.get("/api/v1/member-affiliations/?kind=flowing").json()
    rows = rows.get("results", rows)
    assert [row["id"] for row in rows] == [flowing.pk]
    rows = client.get(f"/api/v1/member-affiliations/?member={flowing.member_id}").json()
    assert [row["id"] for row in rows.get("results", rows)] == [flowing.pk]
    assert client.get("/api/v1/member-affiliations/?member=999999").status_code == 200
