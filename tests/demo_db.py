"""One seeded demo district per test session, shared by the tests that only read it (issue 16).

`seed_demo` writes the whole demo district through the services: a minute or two of CPU. The tests that
read the demo (its figures, its pages, its logins) ask for the `demo_db` fixture instead of seeding it
themselves: on PostgreSQL the first of them copies the migrated test database
(`CREATE DATABASE <test>_demo TEMPLATE <test>`) and seeds the copy once; each such test then runs on that
copy inside a transaction rolled back at its end, as any test (a re-run of `seed_demo` in it is rolled
back too). The copy is dropped when the session ends. The tests of the seeder itself (a first run on a
platform already in use, `--reset`) keep seeding their own empty database with `db`.

On another database (SQLite) `demo_db` seeds in the test's own transaction, as before.

The seeded rows are dated from the day the seeding ran (today's snapshot, events around today). A
session that crosses local midnight would read them on the next day: each test on the copy runs with
the clock moved back to the moment the seeding ended (time_machine, ticking), so the copy's "today" is
the test's.

How: the connection's database name is switched before pytest-django opens the test's transaction and
switched back after it is rolled back (`_django_db_helper` below wraps pytest-django's own). A
transactional test cannot share it (its flush would empty the copy) and is refused.
"""

import datetime as dt
import io
from collections.abc import Iterator
from typing import NamedTuple

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker


def _drop(cursor: CursorWrapper, name: str) -> None:
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


class DemoDatabase(NamedTuple):
    name: str  # "" when not on PostgreSQL: no copy, each test seeds its own
    seeded_at: dt.datetime | None  # when the seeding ended


@pytest.fixture(scope="session")
def _demo_database(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoDatabase]:
    """The session's seeded copy of the test database."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield DemoDatabase("", None)
        return
    test_name = connection.settings_dict["NAME"]
    demo_name = f"{test_name}_demo"
    with django_db_blocker.unblock():
        connection.close()  # a template database has no other session
        with connection._nodb_cursor() as cursor:
            _drop(cursor, demo_name)
            cursor.execute(f'CREATE DATABASE "{demo_name}" TEMPLATE "{test_name}"')
        _use(connection, demo_name, django_db_blocker)
        try:
            # seeded as the zh-hans pages show it (tests/standards checks them with the catalogue)
            with override_settings(LOCALE_PATHS=[settings.BASE_DIR / "locale"]):
                call_command("seed_demo", stdout=io.StringIO())
            seeded_at = timezone.now()
        finally:
            _use(connection, test_name, django_db_blocker)
    yield DemoDatabase(demo_name, seeded_at)
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        _drop(cursor, demo_name)


@pytest.fixture
def _demo_database_switch(
    request: pytest.FixtureRequest, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """For a test that asks for `demo_db`: its connection on the seeded copy, for the test only."""
    if "demo_db" not in request.fixturenames:
        yield
        return
    demo = request.getfixturevalue("_demo_database")
    if not demo.name:
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        pytest.fail("demo_db is shared by the session: a transactional test would empty it")
    connection = connections["default"]
    test_name = connection.settings_dict["NAME"]
    _use(connection, demo.name, django_db_blocker)
    try:
        with time_machine.travel(demo.seeded_at, tick=True):
            yield
    finally:
        _use(connection, test_name, django_db_blocker)


def _use(connection: BaseDatabaseWrapper, name: str, django_db_blocker: DjangoDbBlocker) -> None:
    """Point the connection at database `name` (reconnected at its next query). The content types'
    ids are cached per connection alias: a transactional test's flush renumbers them in one database
    and not the other, so the cache is emptied at each switch."""
    with django_db_blocker.unblock():
        connection.close()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


@pytest.fixture
def _django_db_helper(_demo_database_switch: None, _django_db_helper: None) -> None:
    """pytest-django's own, opened after the switch above (and so rolled back before it is undone)."""
    return _django_db_helper


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, db: None) -> None:
    """The demo district as `seed_demo` leaves it, on a database of this test's own (see the module)."""
    if not request.getfixturevalue("_demo_database").name:
        call_command("seed_demo", stdout=io.StringIO())
