"""The users admin: the add page creates the account through accounts.services.user_create, the
change page changes it through accounts.services.user_update."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
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


def _change(actor, user, **changes):
    """POST the change page as its form shows it, with `changes`."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(actor)
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.pop("password", None)
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None and (not isinstance(v, list) or v)}
    return client.post(url, data)


def test_the_change_page_shows_no_editable_system_fields(superuser, regions):
    user = User.objects.create_user(username="li", password=PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(superuser)
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form

    # is_staff follows the role and the dates are the system's: shown read-only, never posted
    assert not {"is_staff", "last_login", "date_joined"} & set(form.fields)
    assert {"role", "scope_region", "party_organization", "organization", "phone", "groups"} <= set(
        form.fields
    )


def test_the_change_page_saves_every_field_it_shows_through_the_service(superuser, regions):
    user = User.objects.create_user(username="li", password=PASSWORD)
    group = Group.objects.create(name="档案员")

    response = _change(
        superuser,
        user,
        username="li2",
        first_name="华",
        last_name="李",
        email="li@example.cn",
        phone="13800000000",
        is_active="",
        role=Role.STAFF,
        scope_region=regions.street_a.pk,
        groups=[group.pk],
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name, user.email, user.phone) == (
        "li2",
        "华",
        "李",
        "li@example.cn",
        "13800000000",
    )
    assert (user.is_active, user.role, user.scope_region, user.is_staff) == (
        False,
        Role.STAFF,
        regions.street_a,
        True,
    )
    assert list(user.groups.all()) == [group]
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=user.pk)
    assert entry.filter(action=LogEntry.Action.UPDATE, actor=superuser).exists()


def test_a_role_change_that_breaks_the_rules_is_refused_on_the_field(superuser, regions, project_catalogue):
    user = User.objects.create_user(username="li", password=PASSWORD, first_name="旧")

    errors = _change(superuser, user, role=Role.STAFF, first_name="新").context["adminform"].form.errors

    assert errors["scope_region"] == ["工作人员需要设置管辖区划：即其负责维护数据的区划。"]
    user.refresh_from_db()
    assert (user.role, user.first_name, user.is_staff) == (Role.NONE, "旧", False)  # nothing written


def test_leaving_staff_takes_the_admin_away(superuser, regions):
    user = User.objects.create_user(
        username="li", password=PASSWORD, role=Role.STAFF, scope_region=regions.street_a, is_staff=True
    )

    response = _change(superuser, user, role=Role.NONE, scope_region="")

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.role, user.scope_region, user.is_staff) == (Role.NONE, None, False)


def test_a_superuser_cannot_drop_their_own_superuser_status(superuser, regions, project_catalogue):
    errors = _change(superuser, superuser, is_superuser="").context["adminform"].form.errors

    assert errors["is_superuser"] == ["您不能取消自己的超级管理员身份。"]
    superuser.refresh_from_db()
    assert superuser.is_superuser


def test_staff_with_user_permissions_cannot_change_users(district_staff, regions, project_catalogue):
    district_staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    user = User.objects.create_user(username="li", password=PASSWORD, last_name="李")

    errors = _change(district_staff, user, last_name="王").context["adminform"].form.errors

    assert errors["__all__"] == ["只有超级管理员可以修改用户。"]
    user.refresh_from_db()
    assert user.last_name == "李"
