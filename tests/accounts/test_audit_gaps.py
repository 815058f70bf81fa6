"""Audit gaps closed: the actor of API writes, registry imports, the trusted client address in every
log, and security records nobody deletes in the admin (superusers included)."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from orgs.models import Organization, RegistryImport
from orgs.uscc import make_uscc
from tests.accounts.factories import PASSWORD, UserFactory, api_token_for

ORGS = "/api/v1/organizations/"
PROXY = "172.18.0.5"


def _token(user) -> str:
    return api_token_for(user)


def _create_org(client: Client, region, token: str, **extra):
    payload = {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "uscc": make_uscc("private_non_enterprise", "330482", 31),
        "region": region.code,
        "registered_on": "2021-04-01",
    }
    return client.post(
        ORGS, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}", **extra
    )


def _entries(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))


def test_api_write_with_token_records_the_token_user_as_actor(regions, street_staff):
    response = _create_org(Client(REMOTE_ADDR="10.1.1.1"), regions.community_a1, _token(street_staff))

    assert response.status_code == 201, response.content
    [entry] = _entries(Organization).filter(action=LogEntry.Action.CREATE)
    assert entry.actor == street_staff
    assert entry.remote_addr == "10.1.1.1"


def test_api_write_with_token_update_records_actor(regions, street_staff):
    token = _token(street_staff)
    org_id = _create_org(Client(), regions.community_a1, token).json()["id"]

    response = Client().patch(
        f"{ORGS}{org_id}/",
        {"short_name": "阳光"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )

    assert response.status_code == 200, response.content
    [update] = _entries(Organization).filter(action=LogEntry.Action.UPDATE)
    assert update.actor == street_staff


def test_audit_address_behind_proxy_is_the_trusted_hop_not_the_forged_left_end(
    regions, street_staff, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.7")

    _create_org(client, regions.community_a1, _token(street_staff))

    assert _entries(Organization).get().remote_addr == "10.1.1.7"


def test_audit_address_without_proxy_setting_ignores_the_forwarded_header(regions, street_staff):
    client = Client(REMOTE_ADDR="10.1.1.8", HTTP_X_FORWARDED_FOR="6.6.6.6")

    _create_org(client, regions.community_a1, _token(street_staff))

    assert _entries(Organization).get().remote_addr == "10.1.1.8"


def test_registry_import_leaves_one_summary_entry_with_who_file_and_counts(
    regions, district_staff, django_capture_on_commit_callbacks
):
    from orgs.services.registry_import import registry_import_create, registry_import_request_commit
    from tests.orgs.registry_files import filed_row, registered_row, xlsx_upload

    upload = xlsx_upload([registered_row(regions), filed_row(regions)], name="东湖街道.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        job = registry_import_create(user=district_staff, file=upload, language="en")
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)

    [entry] = _entries(RegistryImport)
    assert entry.actor == district_staff
    assert entry.object_pk == str(job.pk)
    assert entry.changes_dict["file"] == [None, "东湖街道.xlsx"]
    assert entry.changes_dict["created"] == [None, "2"]
    assert entry.changes_dict["updated"] == [None, "0"]
    assert entry.additional_data == {"kind": "registry_import", "rows": 2}
    assert not _entries(Organization).exists()  # COPY bypasses per-row logging: the summary stands for it


# Security records cannot be deleted in the admin, superusers included.
@pytest.fixture
def records(db):
    UserFactory(username="lihua")
    Client().post("/accounts/login/", {"username": "lihua", "password": PASSWORD})
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "lihua", "password": "wrong"})
    UserFactory(username="other")  # a change-log entry
    return {
        "axes/accesslog": AccessLog.objects.first(),
        "axes/accessattempt": AccessAttempt.objects.first(),
        "axes/accessfailurelog": AccessFailureLog.objects.first(),
        "auditlog/logentry": LogEntry.objects.first(),
    }


@pytest.mark.parametrize(
    "path", ["axes/accesslog", "axes/accessattempt", "axes/accessfailurelog", "auditlog/logentry"]
)
def test_security_records_superuser_cannot_delete_in_the_admin(records, superuser, path):
    row = records[path]
    model = type(row)
    client = Client()
    client.force_login(superuser)

    single = client.post(f"/admin/{path}/{row.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        f"/admin/{path}/", {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    changelist = client.get(f"/admin/{path}/")

    assert single.status_code == 403
    assert bulk.status_code in (200, 302)
    assert model.objects.filter(pk=row.pk).exists()
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.text
    assert "cleanup" not in changelist.text


@pytest.mark.parametrize("path", ["axes/accesslog", "axes/accessfailurelog", "auditlog/logentry"])
def test_security_records_superuser_cannot_change_them(records, superuser, path):
    row = records[path]
    client = Client()
    client.force_login(superuser)

    response = client.get(f"/admin/{path}/{row.pk}/change/")

    assert response.status_code == 200
    assert 'name="_save"' not in response.text  # view only
