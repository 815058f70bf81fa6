"""Issue 13, finding 12: users' phones and organizations' contact phones are encrypted at rest like
members' (config.personal_data), found by their keyed hash, masked in the change log, and the data
migration encrypts rows written in clear (and back)."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.personal_data.backfill import decrypt_phone_column, encrypt_phone_column
from config.personal_data.phones import phone_hash
from orgs.models import Organization
from tests.accounts.factories import UserFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_user_phone_stored_encrypted_and_found_by_hash():
    # when
    user = UserFactory(phone="138 1234-5678")
    # then: ciphertext in the column, the plain value in Python, the lookup through the hash
    stored = _raw("accounts_user", "phone", user.pk)
    assert "5678" not in stored and stored.startswith("gAAAA")
    assert User.objects.get(pk=user.pk).phone == "138 1234-5678"
    assert User.objects.get(phone_hash=phone_hash("13812345678")) == user
    assert user.phone_masked == "138****5678"


def test_organization_contact_phone_stored_encrypted_and_found_by_hash(regions):
    org = OrganizationFactory(contact_phone="0573-85123456")
    stored = _raw("orgs_organization", "contact_phone", org.pk)
    assert "85123456" not in stored
    assert Organization.objects.get(contact_phone_hash=phone_hash("057385123456")) == org
    assert Organization.objects.get(pk=org.pk).contact_phone == "0573-85123456"


def test_user_admin_form_keeps_the_phone_and_refuses_a_bad_one(superuser):
    user = UserFactory(phone="13812345678")
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    assert 'name="phone" value="13812345678"' in page  # a one-line input with the plain value
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": "none",
        "phone": "not a phone",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "phone" in refused.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).phone == "13812345678"


def test_change_log_never_holds_a_clear_phone(regions):
    user = UserFactory(phone="13812345678")
    user.phone = "13987654321"
    user.save()
    org = OrganizationFactory(contact_phone="0573-85123456")
    entries = LogEntry.objects.get_for_object(user) | LogEntry.objects.get_for_object(org)
    text = " ".join(str(e.changes) for e in entries)
    assert entries.exists()
    for digits in ("12345678", "87654321", "85123456", phone_hash("13812345678")):
        assert digits not in text


def test_backfill_encrypts_clear_rows_once_and_reverses(regions):
    # given rows written in clear (as before the migration), one already encrypted
    clear = UserFactory()
    done = UserFactory(phone="13900000002")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET phone = %s, phone_hash = '' WHERE id = %s", ["13900000001", clear.pk]
        )
    columns = {"table": "accounts_user", "column": "phone", "hash_column": "phone_hash"}
    before = _raw("accounts_user", "phone", done.pk)
    # when run twice (a re-run after a failure is safe)
    encrypt_phone_column(connection, **columns)
    encrypt_phone_column(connection, **columns)
    # then
    assert _raw("accounts_user", "phone", clear.pk).startswith("gAAAA")
    assert _raw("accounts_user", "phone", done.pk) == before  # left alone
    assert User.objects.get(phone_hash=phone_hash("13900000001")) == clear
    assert User.objects.get(pk=clear.pk).phone == "13900000001"
    # and the reverse migration gives the clear values back
    decrypt_phone_column(connection, **columns)
    assert _raw("accounts_user", "phone", clear.pk) == "13900000001"
    assert _raw("accounts_user", "phone", done.pk) == "13900000002"


def test_encrypt_many_writes_fernets_own_tokens_and_decrypt_reads_them(settings, monkeypatch):
    """config.personal_data.crypto.encrypt_many (the registry import's COPY path) runs CBC for a
    batch block position by block position: each token must be the one Fernet itself makes for
    the same IV and time, for one-block values (phones), several blocks, empty and non-ASCII text."""
    import itertools
    import os

    from cryptography.fernet import Fernet

    from config.personal_data import crypto

    values = [
        "0573-85000001",
        "",
        "x" * 15,
        "y" * 16,
        "甲乙丙丁戊己庚辛",
        "330482199001011234" * 3,
        "+8613912345678",
    ]
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key, Fernet.generate_key().decode()]  # the newest encrypts
    counter = itertools.count()
    monkeypatch.setattr(crypto.os, "urandom", lambda n: bytes(next(counter) % 256 for _ in range(n)))
    monkeypatch.setattr(crypto.time, "time", lambda: 1_800_000_000.5)
    tokens = crypto.encrypt_many(values)
    ivs = bytes(i % 256 for i in range(16 * len(values)))
    expected = [
        Fernet(key)._encrypt_from_parts(value.encode(), 1_800_000_000, ivs[16 * i : 16 * i + 16]).decode()
        for i, value in enumerate(values)
    ]
    assert tokens == expected
    assert [crypto.decrypt(token) for token in tokens] == values
    monkeypatch.setattr(crypto.os, "urandom", os.urandom)
    again = crypto.encrypt_many(["13912345678", "13912345678"])
    assert again[0] != again[1]  # a fresh IV per value
    assert crypto.encrypt_many([]) == []


def test_bulk_hashes_equal_the_hashes_one_by_one():
    """crypto.keyed_hashes and phones.phone_hash_many (the registry import's bulk path, found by
    KeyedHashField.hashes_of) give exactly keyed_hash's and phone_hash's values, empty phones ""."""
    from config.personal_data import crypto
    from config.personal_data.phones import phone_hash_many

    values = ["phone:13812345678", "", "名称 with spaces", "phone:+8657385000001"]
    assert crypto.keyed_hashes(values) == [crypto.keyed_hash(v) for v in values]
    phones = ["138 1234-5678", "", None, "0573-85000001", "（0573）85000001", "  "]
    assert phone_hash_many(phones) == [phone_hash(p) for p in phones]
    field = Organization._meta.get_field("contact_phone_hash")
    assert field.hashes_of(phones) == [phone_hash(p or "") for p in phones]
