"""The crawl's detectors catch what they must and leave ordinary page content alone."""

import pytest

from tests.public.personal_data import id_numbers_in, mobiles_in


@pytest.mark.parametrize(
    "text",
    ["身份证号110101198001010018，", "<td>11010119800101001X</td>", "id=11010120001231002x&"],
)
def test_id_numbers_in_id_shaped_text_found(text):
    assert len(id_numbers_in(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "110101198002310018",  # 31 February
        "110101180001010018",  # born 1800
        "1101011980010100188",  # 19 digits
        "52330499MJ1234567X",  # a USCC
        "a110101198001010018",  # inside a longer token
    ],
)
def test_id_numbers_in_other_text_not_found(text):
    assert id_numbers_in(text) == []


@pytest.mark.parametrize("text", ["电话13812345678。", "tel:19912345678", "(15000000000)"])
def test_mobiles_in_mobile_shaped_text_found(text):
    assert len(mobiles_in(text)) == 1


@pytest.mark.parametrize(
    "text",
    ["0573-85012345", "12812345678", "138123456789", "/media/a13812345678b.png", "2026111913812"],
)
def test_mobiles_in_other_text_not_found(text):
    assert mobiles_in(text) == []
