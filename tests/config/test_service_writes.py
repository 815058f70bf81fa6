"""The one way from a form or the API to a service (config.service_forms, config.admin_services,
config.api.errors): errors on the right field, the service called once per save, nothing
half-written after a refusal."""

from unittest import mock

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIRequestFactory

from config.api.errors import service_exception_handler
from config.service_forms import ServiceForm, add_service_errors
from orgs.admin import organizations as admin_registry
from orgs.models import Organization, OrganizationStatusChange
from orgs.uscc import make_uscc
from tests.orgs.factories import OrganizationFactory

ADD = "/admin/orgs/organization/add/"


class _PeriodForm(forms.Form):
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)


# --- add_service_errors ---------------------------------------------------------------------------


def test_add_service_errors_puts_each_key_on_its_field_and_the_rest_on_top():
    form = _PeriodForm({})
    form.is_valid()
    exc = ValidationError(
        {"until": "ends too early", "organization": "not yours", "__all__": "overlaps no. 7"}
    )
    add_service_errors(form, exc)
    assert form.errors["until"] == ["ends too early"]
    assert form.non_field_errors() == ["not yours", "overlaps no. 7"]


def test_add_service_errors_bare_message_goes_on_top_and_aliases_rename_keys():
    form = _PeriodForm({})
    form.is_valid()
    add_service_errors(form, ValidationError(["no", "never"]))
    add_service_errors(form, ValidationError({"starts_on": "too late"}), aliases={"starts_on": "since"})
    assert form.non_field_errors() == ["no", "never"]
    assert form.errors["since"] == ["too late"]


# --- ServiceForm ----------------------------------------------------------------------------------


class _GroupForm(ServiceForm):
    name = forms.CharField()
    calls = 0

    def write(self):
        type(self).calls += 1
        group = Group.objects.create(name=self.cleaned_data["name"])
        if group.name == "refused":
            raise ValidationError({"name": "This name is refused."})
        return group


@pytest.mark.django_db
def test_service_form_writes_once_and_keeps_the_row():
    _GroupForm.calls = 0
    form = _GroupForm({"name": "ok"})
    assert form.is_valid() and form.is_valid()
    assert _GroupForm.calls == 1
    assert form.saved == Group.objects.get(name="ok")


@pytest.mark.django_db
def test_service_form_refusal_on_its_field_and_its_write_rolled_back():
    form = _GroupForm({"name": "refused"})
    assert not form.is_valid()
    assert form.errors["name"] == ["This name is refused."]
    assert form.saved is None
    assert not Group.objects.exists()


def test_service_form_with_field_errors_does_not_call_the_service():
    _GroupForm.calls = 0
    assert not _GroupForm({"name": ""}).is_valid()
    assert _GroupForm.calls == 0


# --- the admin base, on the organization admin ----------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _data(region, **extra):
    return {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "registration": "registered",
        "uscc": make_uscc("private_non_enterprise", "330482", 77),
        "region": region.pk,
        "management_mode": "territorial",
        "staff_count": "3",
        "grade_awards-TOTAL_FORMS": "0",
        "grade_awards-INITIAL_FORMS": "0",
        "inspections-TOTAL_FORMS": "0",
        "inspections-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.mark.django_db
def test_service_admin_add_calls_the_service_once(regions, street_staff):
    with mock.patch.object(
        admin_registry, "organization_create", wraps=admin_registry.organization_create
    ) as create:
        response = _client(street_staff).post(ADD, _data(regions.community_a1, _continue="1"))
    assert response.status_code == 302
    assert create.call_count == 1
    org = Organization.objects.get()
    assert response["Location"].startswith(f"/admin/orgs/organization/{org.pk}/change/")  # the adopted row
    assert OrganizationStatusChange.objects.filter(organization=org).count() == 1


@pytest.mark.django_db
def test_service_admin_refusal_shows_on_its_field_and_writes_nothing(regions, street_staff):
    with mock.patch.object(
        admin_registry, "organization_create", wraps=admin_registry.organization_create
    ) as create:
        response = _client(street_staff).post(
            ADD, _data(regions.community_a1, authority_division_code="110101")
        )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["authority_division_code"]
    assert "330482" in errors["authority_division_code"][0]
    assert create.call_count == 1
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_service_admin_change_with_a_refused_inline_rolls_the_written_row_back(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1, name="旧名称")
    data = _data(
        regions.community_a1,
        name="新名称",
        uscc=org.uscc,
        **{"grade_awards-TOTAL_FORMS": "1", "grade_awards-0-grade": "4", "grade_awards-0-announced_on": ""},
    )
    with mock.patch.object(
        admin_registry, "organization_update", wraps=admin_registry.organization_update
    ) as update:
        response = _client(district_staff).post(f"/admin/orgs/organization/{org.pk}/change/", data)
    assert response.status_code == 200
    assert update.call_count == 1  # the form wrote; the inline refused; the save was rolled back
    org.refresh_from_db()
    assert org.name == "旧名称"


# --- the API's exception handler ------------------------------------------------------------------


def _handle(exc):
    request = APIRequestFactory().post("/api/v1/anything/")
    return service_exception_handler(exc, {"request": request, "view": None})


def test_api_handler_service_error_is_400_naming_each_field():
    response = _handle(ValidationError({"until": "ends too early", "__all__": "overlaps no. 7"}))
    assert response.status_code == 400
    assert response.data == {"until": ["ends too early"], "non_field_errors": ["overlaps no. 7"]}


def test_api_handler_bare_message_in_the_requests_language():
    with translation.override("zh-hans"):
        response = _handle(ValidationError(gettext_lazy("This field is required.")))
        chinese = translation.gettext("This field is required.")
    assert chinese != "This field is required."
    assert response.status_code == 400
    assert response.data == {"non_field_errors": [chinese]}


def test_api_handler_permission_denied_stays_403_with_its_message():
    response = _handle(PermissionDenied("Only district or street staff write."))
    assert response.status_code == 403
    assert response.data == {"detail": "Only district or street staff write."}
