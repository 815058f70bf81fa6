"""Finding 1 of issue 13: no full ID number or phone confirmed without an audited, rate-limited reveal."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from members.id_numbers import make_id_number
from members.models import RevealLog
from members.services.members import member_update
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/members/"
CHANGELIST = reverse("admin:members_member_changelist")
FIND = reverse("admin:members_member_find")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _wrong(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


def test_member_api_id_number_oracle_secretary_refused_alike_for_right_and_wrong(pos, secretary_a):
    # given: a member of the secretary's own branch, and the attack's right and wrong candidates
    member = MemberFactory(party_organization=pos.branch_a, phone="13512344355")
    client = _api(secretary_a)
    # when: the attack's probes (ID number and phone)
    right = client.get(API, {"id_number": member.id_number})
    wrong = client.get(API, {"id_number": _wrong(member.id_number)})
    by_phone = client.get(API, {"phone": "13512344355"})
    # then: the same refusal whatever the candidate, no rows, nothing logged as a reveal
    assert right.status_code == wrong.status_code == by_phone.status_code == 403
    assert right.json() == wrong.json()
    assert member.name not in right.content.decode()
    assert not RevealLog.objects.exists()


def test_member_api_id_number_lookup_staff_logged_hit_and_miss(pos, street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _api(street_staff)
    hit = client.get(API, {"id_number": member.id_number.lower()}, REMOTE_ADDR="10.1.2.3")
    miss = client.get(API, {"id_number": _wrong(member.id_number)})
    assert [row["id"] for row in hit.json()["results"]] == [member.pk]
    assert miss.json()["results"] == []
    logs = list(RevealLog.objects.order_by("id").values_list("member_id", "field", "user_id", "ip_address"))
    assert logs == [
        (member.pk, "lookup_id_number", street_staff.pk, "10.1.2.3"),
        (None, "lookup_id_number", street_staff.pk, "127.0.0.1"),
    ]


def test_member_api_lookup_out_of_scope_staff_finds_nothing(pos, other_street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    response = _api(other_street_staff).get(API, {"id_number": member.id_number})
    assert response.status_code == 200 and response.json()["results"] == []


def test_member_api_lookup_bad_phone_400_not_500(pos, superuser):
    response = _api(superuser).get(API, {"phone": "not-a-phone"})
    assert response.status_code == 400 and "phone" in response.json()


def test_member_api_lookup_rate_limited_429_with_message(pos, street_staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "member_lookup": "3/h"}
    member = MemberFactory(party_organization=pos.branch_a)
    client = _api(street_staff)
    for _ in range(3):
        assert client.get(API, {"id_number": _wrong(member.id_number)}).status_code == 200
    refused = client.get(API, {"id_number": member.id_number})  # even the right one: no answer
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many attempts.")
    assert member.name not in refused.content.decode()
    assert RevealLog.objects.count() == 3  # the refused attempt read nothing


def test_member_admin_q_search_by_id_number_logged_and_throttled(pos, street_staff, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "member_lookup": "1/h"}
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(street_staff)
    response = client.get(CHANGELIST, {"q": member.id_number})
    assert list(response.context["cl"].result_list) == [member]
    assert RevealLog.objects.get().field == "lookup_id_number"
    refused = client.get(CHANGELIST, {"q": member.id_number})
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()


def test_member_admin_find_view_logged(pos, superuser):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(superuser)
    response = client.post(FIND, {"id_number": member.id_number})
    assert response.status_code == 302
    missed = client.post(FIND, {"id_number": _wrong(member.id_number)})
    assert missed.status_code == 200 and missed.context["form"].errors["id_number"]
    assert list(RevealLog.objects.order_by("id").values_list("member_id", flat=True)) == [member.pk, None]


def test_reveal_log_miss_visible_to_looker_scope_only(pos, street_staff, other_street_staff):
    _api(street_staff).get(API, {"id_number": make_id_number("330106", dt.date(1990, 1, 1), 1)})
    assert RevealLog.objects.visible_to(street_staff).count() == 1
    assert RevealLog.objects.visible_to(other_street_staff).count() == 0


def test_member_edit_forms_hide_birth_date(pos, secretary_a, superuser):
    # The mask shows 4 + 4 digits; the birth date would give 8 more.
    member = MemberFactory(party_organization=pos.branch_a)
    birth = member.birth_date
    shapes = {birth.isoformat(), birth.strftime("%Y%m%d"), f"{birth:%Y-%m-%d}"}
    portal = _client(secretary_a).get(reverse("members_portal:edit", args=[member.pk]))
    admin = _client(superuser).get(reverse("admin:members_member_change", args=[member.pk]))
    for response in (portal, admin):
        assert response.status_code == 200
        body = response.content.decode()
        assert not any(shape in body for shape in shapes)
        assert member.id_number[6:14] not in body


def test_member_update_birth_date_probe_never_echoes_stored_date(pos, secretary_a):
    from django.core.exceptions import ValidationError

    member = MemberFactory(party_organization=pos.branch_a)
    with pytest.raises(ValidationError) as caught:
        member_update(member=member, actor=secretary_a, birth_date=dt.date(1901, 1, 1))
    text = " ".join(caught.value.messages)
    assert member.birth_date.isoformat() not in text


def test_member_edit_form_empty_birth_date_keeps_stored(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    birth = member.birth_date
    data = {"name": "新名字", "gender": "", "birth_date": "", "ethnicity": "汉族", "affiliation": "formal"}
    response = _client(secretary_a).post(reverse("members_portal:edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.birth_date) == ("新名字", birth)


def test_member_add_duplicate_id_oracle_rate_limited_for_secretaries(pos, secretary_a, secretary_b, settings):
    # "already registered" confirms a guessed number anywhere in the district: attempts are counted
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "member_id_check": "2/h"}  # one count per refused form
    elsewhere = MemberFactory(party_organization=pos.branch_b)
    client = _client(secretary_a)
    add = reverse("members_portal:add")
    data = {
        "name": "猜测",
        "party_organization": pos.branch_a.pk,
        "stage": "applicant",
        "applied_on": "2024-03-01",
        "ethnicity": "汉族",
        "affiliation": "formal",
    }
    first = client.post(add, {**data, "id_number": elsewhere.id_number})
    assert first.status_code == 200 and first.context["form"].errors["id_number"]  # one service call
    client.post(add, {**data, "id_number": _wrong(elsewhere.id_number)})
    refused = client.post(add, {**data, "id_number": elsewhere.id_number})
    assert refused.status_code == 429
    # the limit is per user: another secretary is not blocked by this one
    assert _client(secretary_b).get(reverse("members_portal:list")).status_code == 200
