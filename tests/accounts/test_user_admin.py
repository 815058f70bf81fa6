"""The users admin's add page creates the account through accounts.services.user_create."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from accounts.models import Role, User

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/accounts/user/add/"
PASSWORD = "Lanting-xu-2026!"


def _post(user, **data):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    body = {"username": "wangfang", "password1": PASSWORD, "password2": PASSWORD, "role": Role.NONE}
    body.update(data)
    return client.post(ADD_URL, {k: v for k, v in body.items() if v is not None})


def _errors(response) -> dict:
    assert response.status_code == 200, response
    return response.context["adminform"].form.errors


def test_the_add_page_shows_the_role_and_scope(superuser, regions):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(superuser)
    page = client.get(ADD_URL).content.decode()
    assert 'name="role"' in page and 'name="scope_region"' in page and 'name="password1"' in page


def test_adding_staff_goes_through_the_service(superuser, regions):
    response = _post(superuser, role=Role.STAFF, scope_region=regions.street_a.pk)

    created = User.objects.get(username="wangfang")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/accounts/user/{created.pk}/change/")
    # The service grants staff the admin; a plain save of the form would leave is_staff off.
    assert (created.role, created.scope_region, created.is_staff) == (Role.STAFF, regions.street_a, True)
    assert created.check_password(PASSWORD)
    created_entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(User),
        object_id=created.pk,
        action=LogEntry.Action.CREATE,
    )
    assert created_entry.actor == superuser


def test_staff_without_a_scope_region_is_refused_on_the_field(superuser, regions, project_catalogue):
    errors = _errors(_post(superuser, role=Role.STAFF))

    assert errors["scope_region"] == ["工作人员需要设置管辖区划：即其负责维护数据的区划。"]
    assert not User.objects.filter(username="wangfang").exists()


def test_a_link_of_another_role_is_refused(superuser, regions):
    errors = _errors(_post(superuser, role=Role.SECRETARY, scope_region=regions.street_a.pk))

    assert list(errors) == ["scope_region"]
    assert not User.objects.filter(username="wangfang").exists()


def test_a_taken_username_is_refused_once_on_the_field(superuser, regions, project_catalogue):
    User.objects.create_user(username="WangFang", password=PASSWORD)

    errors = _errors(_post(superuser))

    assert errors["username"] == ["该用户名已存在。"]
    assert User.objects.filter(username__iexact="wangfang").count() == 1


def test_passwords_that_differ_or_are_weak_are_refused(superuser, regions, project_catalogue):
    assert _errors(_post(superuser, password2=PASSWORD + "x"))["password2"] == ["输入的两个密码不一致。"]
    weak = _errors(_post(superuser, password1="12345678", password2="12345678"))
    assert "此密码太短，至少要包含 12 个字符。" in weak["password2"]  # the service's validators
    assert not User.objects.filter(username="wangfang").exists()


def test_staff_with_user_permissions_are_refused_by_the_service(district_staff, regions, project_catalogue):

    district_staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_user", "change_user", "view_user"])
    )
    errors = _errors(_post(district_staff))

    assert errors["__all__"] == ["只有超级管理员可以创建用户。"]
    assert not User.objects.filter(username="wangfang").exists()


def test_the_change_page_still_saves(superuser, regions):
    user = User.objects.create_user(username="li", password=PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": "li",
            "last_name": "李",
            "role": Role.NONE,
            "date_joined_0": user.date_joined.date().isoformat(),
            "date_joined_1": "08:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("password", None)
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.last_name == "李"
