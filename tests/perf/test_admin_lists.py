"""Every admin changelist counts with the capped paginator and never the whole table; no editable
admin form offers a dropdown over a table that grows with the district (autocomplete or raw id)."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
)

from config.paginator import CappedPaginator

pytestmark = pytest.mark.django_db

GROWING = {
    "orgs.organization",
    "orgs.region",
    "branches.partyorganization",
    "members.member",
    "events.event",
    "accounts.user",
}
CHOOSERS = (AutocompleteSelect, AutocompleteSelectMultiple, ForeignKeyRawIdWidget, ManyToManyRawIdWidget)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label_lower)
def test_changelist_count_is_capped(model):
    model_admin = admin.site._registry[model]
    assert issubclass(model_admin.paginator, CappedPaginator)
    assert model_admin.show_full_result_count is False


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label_lower)
def test_no_dropdown_over_a_growing_table(model, rf, superuser):
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = superuser
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        return  # read-only: the page shows the value, not a chooser
    form = model_admin.get_form(request, None)
    dropdowns = []
    for name, field in form.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            widget = getattr(field.widget, "widget", field.widget)  # inside the related-object wrapper
            assert field.queryset is not None
            if field.queryset.model._meta.label_lower in GROWING and not isinstance(widget, CHOOSERS):
                dropdowns.append(name)
    assert dropdowns == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_changelist_row_checkbox_is_djangos_html_written_directly(regions, language):
    from django.contrib.admin import ModelAdmin
    from django.utils import translation

    from orgs.models import Organization
    from tests.orgs.factories import OrganizationFactory

    # given a row whose name needs escaping
    org = OrganizationFactory(name='<b>阳光</b> & "社工"')
    model_admin = admin.site._registry[Organization]
    # then the site's checkbox is the one Django renders through the widget template, escaped alike
    with translation.override(language):
        ours = model_admin.action_checkbox(org)
        assert ours == ModelAdmin.action_checkbox(model_admin, org)
    assert "&lt;b&gt;阳光&lt;/b&gt; &amp; &quot;社工&quot;" in ours and f'value="{org.pk}"' in ours
