"""Password rules: ≥ 12 characters, 3 of 4 character classes, no common password, messages localised."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.forms import PasswordChangeForm
from accounts.password_validation import CharacterClassValidator
from tests.accounts.factories import PASSWORD, UserFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
needs_catalogue = pytest.mark.usefixtures("project_catalogue")


def _codes(password: str, user=None) -> set[str | None]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


def _messages(password: str, language: str) -> list[str]:
    with translation.override(language):
        with pytest.raises(ValidationError) as info:
            validate_password(password)
        return info.value.messages


@pytest.mark.parametrize(
    "password",
    ["Dangjian-2026!", "hongqi-piaopiao-88", "SHEHUI.ZUZHI.2026", "Branch-Secretary"],
)
def test_validate_password_strong_passwords_pass(password):
    assert _codes(password) == set()


def test_validate_password_eleven_characters_is_too_short():
    assert _codes("Dangjian-26") == {"password_too_short"}


def test_validate_password_twelve_characters_is_long_enough():
    assert _codes("Dangjian-266") == set()


@pytest.mark.parametrize(
    "password",
    ["dangjianpingtai", "DANGJIANPINGTAI", "dangjian20262026", "dangjian-pingtai"],
)
def test_validate_password_two_character_classes_refused(password):
    assert _codes(password) == {"password_too_few_character_classes"}


def test_validate_password_common_password_refused_even_with_three_classes():
    # "password1234" is on Django's list of 20,000 common passwords (compared lower-cased).
    assert CharacterClassValidator().classes_used("Password1234") == 3

    assert "password_too_common" in _codes("Password1234")


def test_validate_password_all_digits_refused():
    assert {"password_entirely_numeric", "password_too_few_character_classes"} <= _codes("202620262026")


@pytest.mark.django_db
def test_validate_password_close_to_username_refused():
    user = UserFactory(username="zhanglihua2026", email="zhanglihua@example.cn")

    assert "password_too_similar" in _codes("Zhanglihua2026", user)


@pytest.mark.parametrize(
    ("password", "used"),
    [("abcdefgh", 1), ("abcDEF", 2), ("abcDEF123", 3), ("abcDEF123!", 4), ("党建工作平台党建工作平台", 0)],
)
def test_character_class_validator_counts_classes(password, used):
    assert CharacterClassValidator.classes_used(password) == used


def test_character_class_validator_message_says_how_many_used_and_needed():
    with translation.override("en"), pytest.raises(ValidationError) as info:
        CharacterClassValidator(min_classes=3).validate("dangjianpingtai")

    [message] = info.value.messages
    assert "uses 1 of the four kinds" in message
    assert "at least 3" in message


def test_character_class_validator_rejects_impossible_minimum():
    with pytest.raises(ValueError):
        CharacterClassValidator(min_classes=5)


def test_validate_password_messages_chinese_by_default():
    # Django's own validators carry their zh_Hans catalogue.
    messages = _messages("Pass-1234", "zh-hans")

    assert "此密码太短，至少要包含 12 个字符。" in messages


def test_validate_password_common_message_chinese():
    assert "这个密码太常见了。" in _messages("Password1234", "zh-hans")


def test_validate_password_messages_english_when_user_chose_english():
    messages = _messages("Pass-1234", "en")

    assert "This password is too short. It must contain at least 12 characters." in messages


@needs_catalogue
def test_character_class_validator_message_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        CharacterClassValidator().validate("dangjianpingtai")

    [message] = info.value.messages
    assert "dangjian" not in message
    assert not message.startswith("This password")


@pytest.mark.django_db
def test_password_change_form_weak_password_error_on_new_password_field():
    user = UserFactory(username="secretary1")
    form = PasswordChangeForm(
        user,
        data={"old_password": PASSWORD, "new_password1": "shortpass", "new_password2": "shortpass"},
    )

    assert not form.is_valid()
    codes = {e.code for e in form.errors.as_data()["new_password2"]}
    assert codes == {"password_too_short", "password_too_few_character_classes"}


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["lihua-Spring-2026!", "Spring-LIHUA-2026!", "2026!Spring_LiHua"])
def test_password_containing_the_username_is_refused(password):
    user = UserFactory(username="lihua")

    assert "password_contains_username" in _codes(password, user)


@pytest.mark.django_db
def test_password_without_the_username_passes_the_username_rule():
    user = UserFactory(username="lihua")

    assert "password_contains_username" not in _codes("Hongqi-Piaopiao-2026", user)


@pytest.mark.django_db
def test_password_change_form_containing_username_names_the_new_password_field():
    user = UserFactory(username="secretary1")
    form = PasswordChangeForm(
        user,
        data={
            "old_password": PASSWORD,
            "new_password1": "Secretary1-Dangjian!",
            "new_password2": "Secretary1-Dangjian!",
        },
    )

    assert not form.is_valid()
    assert {e.code for e in form.errors.as_data()["new_password2"]} == {"password_contains_username"}
