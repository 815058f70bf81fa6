import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members.id_numbers import check_char, make_id_number, normalize_id_number, parse_id_number

VALID = "11010519491231002X"  # GB 11643-1999's own example (female, born 1949-12-31)


def test_check_char_standard_example_is_x():
    assert check_char(VALID[:17]) == "X"


def test_check_char_remainder_two_is_x_and_zero_is_one():
    # check = (12 − Σ mod 11) mod 11, 10 written X: Σ = 0 → 1, Σ = 2 (last weight 2) → X, Σ = 7 → 5
    assert check_char("00000000000000000") == "1"
    assert check_char("00000000000000001") == "X"
    assert check_char("10000000000000000") == "5"


def test_parse_id_number_valid_derives_birth_date_and_gender():
    info = parse_id_number(VALID, today=dt.date(2026, 1, 1))
    assert (info.number, info.birth_date, info.gender) == (VALID, dt.date(1949, 12, 31), "female")


def test_parse_id_number_odd_sequence_is_male():
    number = make_id_number("330106", dt.date(1990, 5, 17), 13)
    assert parse_id_number(number).gender == "male"


def test_normalize_id_number_strips_and_uppercases_x():
    assert normalize_id_number(" 110105 19491231 002x ") == VALID


def test_parse_id_number_lowercase_x_accepted():
    assert parse_id_number(VALID.lower()).number == VALID


def test_parse_id_number_wrong_check_char_says_expected():
    with pytest.raises(ValidationError) as exc:
        parse_id_number(VALID[:17] + "5")
    assert exc.value.code == "id_check_char"
    assert "X" in exc.value.messages[0] and "5" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("11010519491231002", "id_length"),
        ("11010519491231002X1", "id_length"),
        ("1101051949123100AX", "id_format"),
        ("X10105194912310021", "id_format"),
    ],
)
def test_parse_id_number_bad_shape_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert exc.value.code == code


def test_parse_id_number_impossible_birth_date_refused():
    first17 = "33010619900230" + "001"  # 30 February
    with pytest.raises(ValidationError) as exc:
        parse_id_number(first17 + check_char(first17))
    assert exc.value.code == "id_birth_date"
    assert "19900230" in exc.value.messages[0]


def test_parse_id_number_future_birth_date_refused():
    number = make_id_number("330106", dt.date(2030, 1, 1), 11)
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number, today=dt.date(2026, 1, 1))
    assert exc.value.code == "id_birth_future"


def test_parse_id_number_district_created_after_birth_is_warning_only():
    # 330482 (平湖市) became a county-level city in 1991: stdnum rejects someone born there in 1990.
    number = make_id_number("330482", dt.date(1990, 1, 1), 11)
    info = parse_id_number(number)
    assert info.number == number
    assert len(info.warnings) == 1 and "330482" in info.warnings[0]


def test_parse_id_number_code_stdnum_half_knows_keyerror_is_warning_only():
    number = make_id_number("330499", dt.date(1990, 1, 1), 11)  # stdnum raises KeyError here
    info = parse_id_number(number)
    assert info.warnings and "330499" in info.warnings[0]


def test_parse_id_number_known_address_has_no_warning():
    assert parse_id_number(make_id_number("330106", dt.date(1990, 1, 1), 11)).warnings == []
