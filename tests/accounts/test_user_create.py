"""accounts.services.user_create: an account with its role and scope, validated, errors by field."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.actors import DEMO_SEEDER
from accounts.models import Role, User
from accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "Lanting-xu-2026!"


def _errors(**kwargs) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        user_create(**{"username": "new", "password": PASSWORD, "actor": DEMO_SEEDER, **kwargs})
    return caught.value.message_dict


def test_staff_account_with_its_scope(regions):
    user = user_create(
        username="  wang  ",
        password=PASSWORD,
        role=Role.STAFF,
        scope_region=regions.street_a,
        last_name="王",
        first_name="芳",
        actor=DEMO_SEEDER,
    )
    user.refresh_from_db()
    assert (user.username, user.role, user.is_staff) == ("wang", "staff", True)
    assert user.scope_region == regions.street_a
    assert user.check_password(PASSWORD) and not user.is_superuser
    assert str(user) == "王芳 (wang)"


def test_superuser_without_role(db):
    user = user_create(username="root2", password=PASSWORD, is_superuser=True, actor=DEMO_SEEDER)
    assert user.is_superuser and user.is_staff and user.role == Role.NONE


def test_staff_needs_a_scope_region(db):
    assert "scope_region" in _errors(role=Role.STAFF)
    assert not User.objects.filter(username="new").exists()


def test_a_role_keeps_only_its_own_link(regions):
    errors = _errors(role=Role.SECRETARY, scope_region=regions.district)
    assert errors["scope_region"] == ["A Party organization secretary has no scope region."]


def test_superuser_has_no_role(regions):
    assert "role" in _errors(is_superuser=True, role=Role.STAFF, scope_region=regions.district)


def test_unknown_role(db):
    assert _errors(role="boss")["role"] == ["Choose a role."]


def test_taken_username_in_any_case(db):
    User.objects.create(username="Zhang")
    assert _errors(username="zhang")["username"] == ["A user with this username already exists."]


def test_password_checked_by_the_platform_validators(db):
    errors = _errors(password="short")
    assert errors["password"] and any("12" in message for message in errors["password"])


def test_only_the_system_or_a_superuser_creates_users(regions, district_staff, superuser):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        user_create(username="new", password=PASSWORD, actor=district_staff)
    assert caught.value.message_dict["__all__"] == ["Only a superuser may create users."]
    assert user_create(username="new", password=PASSWORD, actor=superuser).pk


def test_none_is_no_actor(db):
    with pytest.raises(TypeError):
        user_create(username="new", password=PASSWORD, actor=None)  # type: ignore[arg-type]  # refused
