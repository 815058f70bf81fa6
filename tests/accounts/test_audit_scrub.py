"""Old change-log entries holding phones and ID numbers in clear are scrubbed (issue 13, point 12):
the `scrub_change_log` command and the data migration accounts 0006 (one function), batched and
idempotent; entries written today, already hidden, are left as they are."""

import importlib
import io
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.audit import HIDDEN
from config.personal_data import crypto
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory, build_po_tree
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

CLEAR = ["13812345678", "13987654321", "0573-85123456", "110101196001010011", "13800001111", "13622223333"]


def _old_entry(obj, changes, **extra) -> LogEntry:
    """An entry as auditlog wrote it before the log hid personal data."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=str(obj),
        action=LogEntry.Action.UPDATE,
        changes=changes,
        **extra,
    )


@pytest.fixture
def old_entries(regions):
    user = UserFactory(username="old_log_user")
    org = OrganizationFactory(region=regions.community_a1)
    member = MemberFactory(party_organization=build_po_tree(regions).branch_a)
    return {
        "user": _old_entry(
            user,
            {"phone": ["13812345678", "13987654321"], "phone_hash": ["", "f" * 64], "first_name": ["", "明"]},
        ),
        "org": _old_entry(
            org,
            {
                "contact_phone": ["0573-85123456", "*****345678"],  # the second: auditlog's old half-mask
                "contact_phone_hash": ["", "e" * 64],
                "name": ["旧名", "新名"],
            },
        ),
        "member": _old_entry(
            member,
            {
                "id_number": ["None", "110101196001010011"],
                "phone": ["None", "13800001111"],
                "name": ["", "张三"],
            },
            changes_text=json.dumps({"phone": ["None", "13800001111"]}),
            serialized_data={"model": "members.member", "fields": {"phone": "13800001111", "name": "张三"}},
        ),
        "member_encrypted": _old_entry(member, {"phone": [crypto.encrypt("13622223333"), "None"]}),
    }


def _text(entry: LogEntry) -> str:
    entry.refresh_from_db()
    return json.dumps([entry.changes, entry.changes_text, entry.serialized_data], ensure_ascii=False)


def _scrub(*args) -> str:
    out = io.StringIO()
    call_command("scrub_change_log", *args, stdout=out)
    return out.getvalue()


def test_scrub_change_log_hides_and_masks_old_entries_then_rerun_changes_nothing(old_entries, regions):
    # given today's entry of a phone change (hidden when written) beside the old ones
    user = UserFactory(username="new_log_user")
    user.phone = "13755556666"
    user.save()
    new_entry = LogEntry.objects.get_for_object(user).latest("pk")
    assert new_entry.changes["phone"] == [HIDDEN, HIDDEN]
    before_new = _text(new_entry)

    # when the command runs, reading one entry per query
    report = _scrub("--batch", "1")

    # then no clear phone or ID number is left in any entry
    everything = json.dumps(list(LogEntry.objects.values("changes", "changes_text", "serialized_data")))
    for value in CLEAR:
        assert value not in everything, value
    user_entry, org_entry, member_entry, encrypted = (old_entries[k] for k in old_entries)
    _text(user_entry), _text(org_entry), _text(member_entry), _text(encrypted)
    assert user_entry.changes == {"phone": [HIDDEN, HIDDEN], "first_name": ["", "明"]}
    assert org_entry.changes == {"contact_phone": ["057*****3456", "*****345678"], "name": ["旧名", "新名"]}
    assert member_entry.changes == {
        "id_number": ["None", HIDDEN],
        "phone": ["None", HIDDEN],
        "name": ["", "张三"],
    }
    assert json.loads(member_entry.changes_text) == {"phone": ["None", HIDDEN]}
    assert member_entry.serialized_data["fields"] == {"phone": HIDDEN, "name": "张三"}
    assert encrypted.changes == {"phone": [HIDDEN, "None"]}
    assert "accounts.user: 1 entries scrubbed" in report
    assert "members.member: 2 entries scrubbed" in report
    assert "total: 4 entries scrubbed" in report
    assert _text(new_entry) == before_new

    # and a second run rewrites nothing
    snapshot = [_text(e) for e in old_entries.values()]
    assert "total: 0 entries scrubbed" in _scrub()
    assert [_text(e) for e in old_entries.values()] == snapshot


def test_scrub_change_log_migration_runs_same_scrub(old_entries):
    migration = importlib.import_module("accounts.migrations.0006_scrub_phones_in_change_log")

    migration.scrub(apps, None)

    assert "13812345678" not in _text(old_entries["user"])
    assert "0573-85123456" not in _text(old_entries["org"])
    assert old_entries["org"].changes["contact_phone"][0] == "057*****3456"
    assert "total: 0 entries scrubbed" in _scrub()
