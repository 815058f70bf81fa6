"""The SQLite quick start under concurrent use (issue 14: "database is locked" on admin saves).

A temporary SQLite file with the quick start's options (config.settings.base.sqlite_options):
threads do what every request and admin save does (read a row, then write in one transaction;
the session row of each request) while others read, and not one gets "database is locked".
The same race with SQLite's default deferred transactions fails, so the test can fail.
"""

import contextlib
import threading
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from config.settings.base import sqlite_options

WRITERS = 6
READERS = 3
SAVES = 25


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    """A database alias on a fresh SQLite file, holding the sessions table; removed afterwards."""

    def make(options: dict) -> str:
        alias = f"sqlite_concurrency_{uuid.uuid4().hex}"
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / f"{alias}.sqlite3"),
            "OPTIONS": options,
        }
        connections.settings[alias] = connections.configure_settings({"default": database})["default"]
        with connections[alias].schema_editor() as editor:
            editor.create_model(Session)
        made.append(alias)
        return alias

    made: list[str] = []
    with django_db_blocker.unblock():
        yield make
        for alias in made:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _save(alias: str, key: str, n: int, barrier: threading.Barrier | None = None) -> None:
    """An admin save's shape: read first, then write, in one transaction (like a session save)."""
    with transaction.atomic(using=alias):
        existing = Session.objects.using(alias).filter(session_key=key).first()
        if barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for our lock
                barrier.wait(timeout=1)
        data = f"{(existing.session_data if existing else '')}{n};"[-500:]
        Session.objects.using(alias).update_or_create(
            session_key=key, defaults={"session_data": data, "expire_date": timezone.now()}
        )


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def _hammer(alias: str) -> list[Exception]:
    errors: list[Exception] = []

    def writer(w: int):
        try:
            for n in range(SAVES):
                _save(alias, f"shared-{n % 3}", n)  # the same rows, as admins saving the same objects
                _save(alias, f"session-{w}", n)  # each request's own session row
        except Exception as exc:  # noqa: BLE001 (collected and asserted below)
            errors.append(exc)
        finally:
            connections[alias].close()

    def reader():
        try:
            for _ in range(SAVES * 2):
                list(Session.objects.using(alias).values_list("session_key", "session_data"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections[alias].close()

    _run(
        [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        + [threading.Thread(target=reader) for _ in range(READERS)]
    )
    return errors


def test_sqlite_options_writers_and_readers_together_never_locked(sqlite_alias):
    alias = sqlite_alias(sqlite_options())
    # when
    errors = _hammer(alias)
    # then
    assert errors == []
    assert Session.objects.using(alias).count() == 3 + WRITERS
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_sqlite_options_two_read_then_write_saves_both_succeed(sqlite_alias):
    alias = sqlite_alias(sqlite_options())
    errors = _two_racing_saves(alias)
    assert errors == []
    assert Session.objects.using(alias).get(session_key="same").session_data.count(";") == 2


def test_sqlite_default_deferred_transactions_fail_the_same_race(sqlite_alias):
    # the control: without IMMEDIATE, two read-then-write transactions cannot both upgrade
    alias = sqlite_alias({"timeout": 2})
    errors = _two_racing_saves(alias)
    assert any(isinstance(e, OperationalError) and "locked" in str(e) for e in errors), errors


def _two_racing_saves(alias: str) -> list[Exception]:
    _save(alias, "same", 0)
    Session.objects.using(alias).filter(session_key="same").update(session_data="")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def save(n: int):
        try:
            _save(alias, "same", n, barrier)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections[alias].close()

    _run([threading.Thread(target=save, args=(n,)) for n in (1, 2)])
    return errors


def test_quick_start_settings_use_the_sqlite_options():
    from config.settings import base

    if base.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        options = sqlite_options()
    else:
        options = base.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
