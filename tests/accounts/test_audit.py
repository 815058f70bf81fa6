"""The audit trail: auditlog records row changes with the actor; axes records logins, logouts and failures."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.audit import HIDDEN
from orgs.models import Region
from orgs.services.regions import region_create, region_update
from tests.accounts.factories import PASSWORD, UserFactory
from tests.actors import SYSTEM


def _entries(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_region_create_with_actor_writes_create_entry_with_actor(regions, district_staff):
    with set_actor(district_staff):
        community = region_create(
            code="330499001003",
            name="新村社区",
            kind=Region.Kind.COMMUNITY,
            parent=regions.street_a,
            actor=SYSTEM,
        )

    [entry] = _entries(community)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == district_staff
    assert entry.changes_dict["name"] == ["None", "新村社区"]
    assert entry.changes_dict["code"] == ["None", "330499001003"]


def test_region_update_with_actor_writes_update_entry_with_old_and_new(regions, street_staff):
    with set_actor(street_staff):
        region_update(region=regions.community_a1, name="和平新社区", actor=SYSTEM)

    entry = _entries(regions.community_a1).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == street_staff
    assert entry.changes_dict == {"name": ["和平社区", "和平新社区"]}
    assert entry.timestamp is not None


def test_region_update_tree_fields_left_out_of_the_log(regions, superuser):
    with set_actor(superuser):
        region_create(
            code="330499001009", name="末尾社区", kind="community", parent=regions.street_a, actor=SYSTEM
        )

    # Inserting a node shifts lft/rght of others: no entry for those bookkeeping changes.
    region_entries = LogEntry.objects.get_for_objects(Region.objects.all())
    assert region_entries.filter(action=LogEntry.Action.CREATE).count() == 8
    assert not region_entries.filter(action=LogEntry.Action.UPDATE).exists()


def test_admin_region_change_records_the_logged_in_user_as_actor(regions, superuser):
    client = Client(REMOTE_ADDR="10.9.9.9")
    client.force_login(superuser)

    response = client.post(
        f"/admin/orgs/region/{regions.street_b.pk}/change/",
        {"name": "钟埭新街道", "is_active": "on"},
    )

    assert response.status_code == 302
    entry = _entries(regions.street_b).last()
    assert entry.actor == superuser
    assert entry.remote_addr == "10.9.9.9"
    assert entry.changes_dict == {"name": ["钟埭街道", "钟埭新街道"]}


def test_user_password_change_logged_with_actor_and_no_part_of_the_hash(db):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    user = UserFactory(username="lihua")
    old_hash = user.password
    client = Client()
    client.force_login(boss)

    client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Hongqi-Piaopiao-2026", "password2": "Hongqi-Piaopiao-2026"},
    )

    user.refresh_from_db()
    entry = _entries(user).last()
    assert entry.actor == boss
    assert entry.changes_dict == {"password": [HIDDEN, HIDDEN]}
    assert old_hash[-8:] not in str(entry.changes)
    assert user.password[-8:] not in str(entry.changes)


def test_login_updates_no_audit_entry_for_last_login(db):
    user = UserFactory(username="lihua")
    before = LogEntry.objects.count()

    Client().post("/accounts/login/", {"username": "lihua", "password": PASSWORD})

    user.refresh_from_db()
    assert user.last_login is not None
    assert LogEntry.objects.count() == before


def test_login_success_writes_access_log_and_logout_stamps_it(db):
    UserFactory(username="lihua")
    client = Client(REMOTE_ADDR="10.1.1.1", HTTP_USER_AGENT="pytest-browser")

    client.post("/accounts/login/", {"username": "lihua", "password": PASSWORD})

    [row] = AccessLog.objects.all()
    assert (row.username, row.ip_address, row.user_agent) == ("lihua", "10.1.1.1", "pytest-browser")
    assert row.attempt_time is not None
    assert row.logout_time is None

    client.post("/accounts/logout/")

    row.refresh_from_db()
    assert row.logout_time is not None
    assert row.logout_time >= row.attempt_time


def test_logout_stamps_only_this_sessions_login(db):
    UserFactory(username="lihua")
    here, elsewhere = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.2.2.2")
    here.post("/accounts/login/", {"username": "lihua", "password": PASSWORD})
    elsewhere.post("/accounts/login/", {"username": "lihua", "password": PASSWORD})

    here.post("/accounts/logout/")

    stamped = dict(AccessLog.objects.values_list("ip_address", "logout_time"))
    assert stamped["10.1.1.1"] is not None
    assert stamped["10.2.2.2"] is None


def test_login_failure_writes_failure_log_row(db):
    UserFactory(username="lihua")

    Client(REMOTE_ADDR="10.1.1.1").post("/admin/login/", {"username": "lihua", "password": "wrong"})

    [row] = AccessFailureLog.objects.all()
    assert (row.username, row.ip_address, row.path_info, row.locked_out) == (
        "lihua",
        "10.1.1.1",
        "/admin/login/",
        False,
    )
    assert not AccessLog.objects.exists()


def test_login_failure_for_unknown_username_is_recorded_too(db):
    Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"})

    assert AccessFailureLog.objects.filter(username="nobody").count() == 1


def test_login_fifth_failure_is_logged_as_locking_out(db):
    UserFactory(username="lihua")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lihua", "password": "wrong"})

    flags = list(AccessFailureLog.objects.order_by("attempt_time", "pk").values_list("locked_out", flat=True))
    assert flags == [False, False, False, False, True]


# The security records in the admin: superusers only.
SECURITY_CHANGELISTS = [
    "/admin/axes/accessattempt/",
    "/admin/axes/accesslog/",
    "/admin/axes/accessfailurelog/",
    "/admin/auditlog/logentry/",
]


@pytest.mark.parametrize("url", SECURITY_CHANGELISTS)
def test_security_admin_superuser_sees_the_records(superuser, url):
    client = Client()
    client.force_login(superuser)
    Client().post("/accounts/login/", {"username": "root", "password": "wrong"})

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", SECURITY_CHANGELISTS)
def test_security_admin_district_staff_refused_even_with_model_permissions(district_staff, url):
    district_staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["axes", "auditlog"])
    )
    client = Client()
    client.force_login(district_staff)

    assert client.get(url).status_code == 403


def test_security_admin_index_hides_the_apps_from_district_staff(district_staff, superuser):
    staff, root = Client(), Client()
    staff.force_login(district_staff)
    root.force_login(superuser)

    staff_apps = {app["app_label"] for app in staff.get("/admin/").context["app_list"]}
    root_apps = {app["app_label"] for app in root.get("/admin/").context["app_list"]}

    assert {"axes", "auditlog"} <= root_apps
    assert not {"axes", "auditlog"} & staff_apps


def test_security_admin_superuser_unlocks_with_the_action_not_a_delete(superuser):
    UserFactory(username="lihua")
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "lihua", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="lihua")
    admin = Client()
    admin.force_login(superuser)

    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "unlock_attempts", "_selected_action": [attempt.pk]}
    )

    assert response.status_code == 302
    login = Client().post("/accounts/login/", {"username": "lihua", "password": PASSWORD})
    assert login.status_code == 302
    assert AccessFailureLog.objects.filter(username="lihua").count() == 5  # the failures stay on record
