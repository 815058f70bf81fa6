"""Strings Django 6.1 added and its zh_Hans catalogues lack, translated by the project's; lazy
strings formatted in the reader's language; stage codes shown as labels."""

import datetime as dt
import json

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_language_admin_js_catalogue_has_time_zone_note_in_chinese(admin_client, project_catalogue):
    script = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert json.dumps("注意：请按%(timezone)s时区填写时间")[1:-1] in script  # the catalogue is JSON


def test_language_blank_choice_and_date_filter_in_chinese(project_catalogue):
    from django.db.models.utils import get_blank_choice_label

    with translation.override("zh-hans"):
        assert str(get_blank_choice_label()) == "- 请选择 -"
        assert translation.gettext("Filter by %(field_name)s") == "按%(field_name)s筛选"


def test_language_logo_help_text_follows_active_language(project_catalogue):
    from orgs.forms import OrganizationProfileForm

    help_text = OrganizationProfileForm.base_fields["logo"].help_text
    with translation.override("en"):
        english = str(help_text)
    with translation.override("zh-hans"):
        chinese = str(help_text)

    assert english.startswith("JPEG, PNG or WebP, at most")
    assert chinese.startswith("JPEG、PNG 或 WebP 格式")


def test_language_stage_change_shows_stage_labels(project_catalogue):
    from members.models import Member, StageChange

    change = StageChange(member=Member(name="万欣"), from_stage="probationary", to_stage="full")

    with translation.override("zh-hans"):
        text = str(change)

    assert "full" not in text and "probationary" not in text
    assert text.startswith("万欣 ") and " → " in text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% when at %}", '<time datetime="2026-12-08T09:00:00+08:00">2026年12月8日 09:00</time>'),
        ('{% when at "date" %}', '<time datetime="2026-12-08">2026年12月8日</time>'),
        ('{% when at "month" %}', '<time datetime="2026-12">2026年12月</time>'),
        ('{% when at "time" %}', '<time datetime="09:00">09:00</time>'),
        ("{{ at|when }}", "2026年12月8日 09:00"),
        ('{{ day|when:"date" }}', "2026年12月8日"),
        ("{% when missing %}", ""),
    ],
)
def test_language_when_one_chinese_format_and_valid_datetime(source, expected):
    at = dt.datetime(2026, 12, 8, 1, 0, 0, 123456, tzinfo=dt.UTC)  # 09:00 in Shanghai, microseconds
    with translation.override("zh-hans"):
        out = Template(source).render(Context({"at": at, "day": dt.date(2026, 12, 8), "missing": None}))
    assert out == expected
