"""config.choices: a field's choice labels read from a dict made once per field give exactly what
Django's get_FOO_display() gives, in the active language; callable choices are left to Django."""

import pytest
from django.db import models
from django.utils import translation

from config.choices import ChoiceDisplayMixin, choice_labels
from events.models import Event
from members.models import Member
from orgs.models import Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field_name"),
    [(Member, "stage"), (Member, "status"), (Member, "affiliation"), (Event, "kind"), (Organization, "kind")],
)
def test_display_is_djangos_for_every_choice_in_both_languages(project_catalogue, model, field_name):
    field = model._meta.get_field(field_name)
    instance = model()
    assert isinstance(instance, ChoiceDisplayMixin)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, _label in field.flatchoices:
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field_name}_display")()
                assert ours == models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]
                assert isinstance(ours, str)  # rendered now, not a lazy label


def test_zh_hans_label_and_unknown_value(project_catalogue):
    member = Member(stage="full")
    with translation.override("zh-hans"):
        assert member.get_stage_display() == "正式党员"
    member.stage = "no-such-stage"
    assert member.get_stage_display() == "no-such-stage"  # as Django: the value itself


def test_callable_choices_are_not_kept():
    field = models.CharField(max_length=5, choices=lambda: [("a", "A")])
    assert choice_labels(field) is None
    assert choice_labels(Member._meta.get_field("stage")) is choice_labels(Member._meta.get_field("stage"))
