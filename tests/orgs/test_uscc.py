"""USCC (GB 32100-2015): normalisation, each kind of invalid code with its own message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from orgs.uscc import make_uscc, normalize_uscc, org_code_check_char, uscc_check_char, validate_uscc

# Worked by hand: org code MJ000001 → M=22·3 + J=19·7 + 1·2 = 201, 201 mod 11 = 3, 11−3 = 8;
# first 17 chars 51330499MJ0000018 → Σ(value·3^i mod 31) = 1713, 1713 mod 31 = 8, 31−8 = 23 → "P".
HAND_COMPUTED = "51330499MJ0000018P"
# python-stdnum's documented example (a company: authority 9), valid when no kind is asked for.
COMPANY_CODE = "91110000600037341L"


def _message(raw, kind="social_group"):
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_uscc(raw, kind=kind)
    assert len(excinfo.value.messages) == 1
    return excinfo.value.messages[0], excinfo.value.code


def test_validate_uscc_hand_computed_code_is_valid():
    assert make_uscc("social_group", "330499", 1) == HAND_COMPUTED
    assert validate_uscc(HAND_COMPUTED, kind="social_group") == HAND_COMPUTED


def test_validate_uscc_company_code_without_kind_is_valid():
    assert validate_uscc(COMPANY_CODE) == COMPANY_CODE


@pytest.mark.parametrize("kind", ["social_group", "private_non_enterprise", "foundation", "community"])
@pytest.mark.parametrize("serial", [0, 7, 4711, 999_999])
def test_make_uscc_any_kind_and_serial_validates(kind, serial):
    code = make_uscc(kind, "330482", serial)
    assert validate_uscc(code, kind=kind) == code


def test_org_code_check_char_ten_is_x_and_eleven_is_zero():
    # The last body character has weight 2.
    assert org_code_check_char("00000001") == "9"  # Σ = 2 → 11 − 2 = 9
    assert org_code_check_char("00000006") == "X"  # Σ = 12 ≡ 1 → 11 − 1 = 10 → X
    assert org_code_check_char("00000000") == "0"  # Σ = 0 → 11 → 0


def test_normalize_uscc_full_width_spaces_and_case_are_folded():
    raw = "５１３３ ０４９９\u3000mj0000018p\u200b"
    assert normalize_uscc(raw) == HAND_COMPUTED
    assert validate_uscc(raw, kind="social_group") == HAND_COMPUTED


def test_validate_uscc_empty_says_enter_it():
    _message_text, code = _message("   ")
    assert code == "uscc_empty"


def test_validate_uscc_wrong_length_says_how_many():
    message, code = _message(HAND_COMPUTED[:17])
    assert code == "uscc_length"
    assert "18 characters" in message and "has 17" in message


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-"])
def test_validate_uscc_forbidden_character_names_it_and_its_position(bad):
    message, code = _message(HAND_COMPUTED[:10] + bad + HAND_COMPUTED[11:])
    assert code == "uscc_alphabet"
    assert f"Character 11 (“{bad}”)" in message


def test_validate_uscc_authority_not_civil_affairs_is_refused_for_a_kind():
    message, code = _message(COMPANY_CODE, kind="social_group")
    assert code == "uscc_authority"
    assert "“9”" in message and "“5”" in message


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("private_non_enterprise", "2"), ("foundation", "3"), ("community", "9")],
)
def test_validate_uscc_type_char_disagreeing_with_kind_says_expected(kind, expected):
    message, code = _message(HAND_COMPUTED, kind=kind)  # a social group's code (type 1)
    assert code == "uscc_type"
    assert "“1”" in message and f"should be “{expected}”" in message


def test_validate_uscc_division_not_digits_is_refused():
    code17 = "513304A9MJ0000018"
    message, code = _message(code17 + uscc_check_char(code17))
    assert code == "uscc_division"
    assert "“3304A9”" in message


def test_validate_uscc_org_code_check_wrong_says_what_it_should_be():
    code17 = "51330499MJ0000017"  # org-code check should be 8
    message, code = _message(code17 + uscc_check_char(code17))
    assert code == "uscc_org_code"
    assert "should be “8”" in message


def test_validate_uscc_check_char_wrong_says_the_right_one():
    message, code = _message(HAND_COMPUTED[:17] + "Q")
    assert code == "uscc_check"
    assert "the check character should be “P”" in message
