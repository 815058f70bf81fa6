import datetime as dt
import logging

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from members.id_numbers import make_id_number
from members.models import Member, StageChange
from members.services.members import member_create, member_update
from members.services.reveal import member_lookup
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory, id_number_for

pytestmark = pytest.mark.django_db

NUMBER = make_id_number("330106", dt.date(1990, 5, 17), 13)  # male


def _create(pos, **overrides):
    kwargs = {
        "name": "张伟",
        "id_number": NUMBER,
        "party_organization": pos.branch_a,
        "phone": "138 1234 5678",
        "applied_on": dt.date(2024, 3, 1),
        "actor": SYSTEM,
    }
    kwargs.update(overrides)
    return member_create(**kwargs)


def test_member_create_fills_birth_date_and_gender_from_number(pos):
    member = _create(pos)
    assert (member.birth_date, member.gender, member.stage) == (dt.date(1990, 5, 17), "male", "applicant")
    assert member.warnings == []
    assert StageChange.objects.get(member=member).to_stage == "applicant"


def test_member_create_normalises_number_and_phone(pos):
    member = _create(pos, id_number=" " + NUMBER.lower() + " ")
    member.refresh_from_db()
    assert member.id_number == NUMBER and member.phone == "13812345678"


def test_member_create_unknown_address_warns_but_saves(pos):
    number = make_id_number("330482", dt.date(1990, 1, 1), 11)
    member = _create(pos, id_number=number)
    assert Member.objects.filter(pk=member.pk).exists()
    assert member.warnings and "330482" in member.warnings[0]


def test_member_create_birth_date_disagreeing_with_number_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, birth_date=dt.date(1990, 5, 18))
    assert "1990-05-17" in exc.value.message_dict["birth_date"][0]


def test_member_create_gender_disagreeing_with_number_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, gender="female")
    assert "gender" in exc.value.message_dict


def test_member_create_bad_check_char_refused_on_id_number_field(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, id_number=NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1"))
    assert "id_number" in exc.value.message_dict
    assert not Member.objects.exists()


def test_member_create_duplicate_number_refused(pos):
    _create(pos)
    with pytest.raises(ValidationError) as exc:
        _create(pos, name="李四", id_number=NUMBER.lower())
    assert "already registered" in exc.value.message_dict["id_number"][0]
    assert Member.objects.count() == 1


def test_member_create_under_18_at_application_refused(pos):
    number = make_id_number("330106", dt.date(2007, 6, 1), 21)
    with pytest.raises(ValidationError) as exc:
        _create(pos, id_number=number, applied_on=dt.date(2025, 5, 31))
    message = exc.value.message_dict["applied_on"][0]
    assert "17" in message and "18" in message


def test_member_create_18th_birthday_accepted(pos):
    number = make_id_number("330106", dt.date(2007, 6, 1), 21)
    assert _create(pos, id_number=number, applied_on=dt.date(2025, 6, 1)).stage == "applicant"


def test_member_create_min_age_is_a_setting(pos, settings):
    settings.MIN_APPLICANT_AGE = 20
    number = make_id_number("330106", dt.date(2006, 1, 1), 21)
    with pytest.raises(ValidationError):
        _create(pos, id_number=number, applied_on=dt.date(2025, 6, 1))


def test_member_create_stage_without_its_date_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, stage="full", applied_on=None)
    assert "full_on" in exc.value.message_dict


def test_member_create_dates_out_of_order_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, stage="activist", applied_on=dt.date(2024, 3, 1), activist_on=dt.date(2024, 2, 1))
    assert "activist_on" in exc.value.message_dict


def test_member_create_future_date_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, applied_on=dt.date.today() + dt.timedelta(days=2))
    assert "applied_on" in exc.value.message_dict


def test_member_create_applicant_in_temporary_branch_refused(pos):
    with pytest.raises(ValidationError) as exc:
        _create(pos, party_organization=pos.temporary)
    assert "temporary" in exc.value.message_dict["party_organization"][0]


def test_member_create_secretary_outside_own_branch_refused(pos, secretary_a):
    with pytest.raises(ValidationError) as exc:
        _create(pos, party_organization=pos.branch_b, actor=secretary_a)
    assert "party_organization" in exc.value.message_dict


def test_member_create_org_contact_refused(pos):
    contact = UserFactory(role=Role.ORG_CONTACT)
    with pytest.raises(ValidationError):
        _create(pos, actor=contact)


def test_member_create_column_holds_no_plaintext(pos):
    member = _create(pos)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM members_member WHERE id = %s",
            [member.pk],
        )
        row = cursor.fetchone()
    stored = " ".join(row)
    assert NUMBER not in stored and NUMBER[:14] not in stored and NUMBER[-8:] not in stored
    assert "13812345678" not in stored and "12345678" not in stored
    assert row[0].startswith("gAAAA")  # a Fernet token


def _find(number, user):
    ids = member_lookup(user=user, field="id_number", value=number)
    return Member.objects.filter(pk__in=ids).first()


def test_member_find_by_id_number_exact_through_hash(pos, superuser):
    member = _create(pos)
    assert _find(NUMBER.lower(), superuser) == member
    assert _find(NUMBER[:17] + "0", superuser) is None


def test_member_find_by_id_number_scoped_to_user(pos, other_street_staff):
    _create(pos)
    assert _find(NUMBER, other_street_staff) is None


def test_member_hash_key_separate_from_secret_key(pos, settings, superuser):
    member = _create(pos)
    settings.FIELD_HASH_KEY = "another-key"
    assert _find(NUMBER, superuser) is None
    assert Member.objects.get(pk=member.pk).id_number == NUMBER  # encryption key unchanged


def test_member_update_new_number_rechecked_and_rehashed(pos, superuser):
    member = _create(pos)
    new = make_id_number("330106", dt.date(1990, 5, 17), 15)
    member_update(member=member, id_number=new, actor=SYSTEM)
    assert _find(new, superuser).pk == member.pk
    assert _find(NUMBER, superuser) is None


def test_member_update_to_another_persons_number_refused(pos):
    member = _create(pos)
    other = MemberFactory()
    with pytest.raises(ValidationError) as exc:
        member_update(member=other, id_number=member.id_number, actor=SYSTEM)
    assert "id_number" in exc.value.message_dict


def test_member_update_birth_date_against_number_refused(pos):
    member = _create(pos)
    with pytest.raises(ValidationError) as exc:
        member_update(member=member, birth_date=dt.date(1991, 1, 1), actor=SYSTEM)
    assert "birth_date" in exc.value.message_dict


def test_member_update_stage_not_updatable(pos):
    member = _create(pos)
    with pytest.raises(TypeError):
        member_update(member=member, stage="full", actor=SYSTEM)


def test_member_audit_entry_never_holds_plain_personal_data(pos):
    member = _create(pos)
    member_update(member=member, phone="13900001111", name="张伟伟", actor=SYSTEM)
    member_update(member=member, id_number=make_id_number("330106", dt.date(1990, 5, 17), 15), actor=SYSTEM)
    entries = LogEntry.objects.get_for_object(member)
    assert entries.count() >= 2
    dump = " ".join(f"{e.changes} {e.object_repr} {e.serialized_data}" for e in entries)
    assert "张伟伟" in dump  # the log works…
    for secret in (NUMBER, NUMBER[:14], "13812345678", "13900001111", "id_number", "phone"):
        assert secret not in dump  # …but never records personal data or its hashes


def test_member_create_and_update_log_no_personal_data(pos, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own loggers stop at INFO by default
    with CaptureQueriesContext(connection):  # the SQL and its parameters are logged at DEBUG
        member = _create(pos)
        member_update(member=member, phone="13900001111", actor=SYSTEM)
        with pytest.raises(ValidationError):
            _create(pos, name="重复", id_number=NUMBER)
    assert "members_member" in caplog.text, "the capture must see the SQL log"
    for secret in (NUMBER, "13812345678", "13900001111"):
        assert secret not in caplog.text


def test_id_number_for_factory_numbers_are_valid():
    from members.id_numbers import parse_id_number

    for n in range(50):
        assert parse_id_number(id_number_for(n)).warnings == []
