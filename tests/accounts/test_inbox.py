"""The notifications inbox: one delivery per dedupe key (even under concurrency), own messages only."""

import re
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from accounts.models import Notification
from accounts.services import notification_mark_read, notification_send, notifications_mark_all_read
from tests.accounts.factories import NotificationFactory, UserFactory
from tests.queries import page_queries


@pytest.fixture
def lihua(db):
    return UserFactory(username="lihua")


@pytest.fixture
def wang(db):
    return UserFactory(username="wang")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- notification_send -------------------------------------------------------------------


def test_notification_send_creates_unread_row(lihua):
    notification, created = notification_send(recipient=lihua, title="年检提醒", body="请于3月31日前报送。")

    assert created
    assert notification.pk is not None
    assert notification.read_at is None
    assert lihua.notifications.unread().count() == 1


def test_notification_send_same_dedupe_key_returns_the_first_row(lihua):
    first, created_first = notification_send(
        recipient=lihua, title="年检提醒", dedupe_key="inspection:1:2026"
    )
    second, created_second = notification_send(
        recipient=lihua, title="年检提醒（重发）", dedupe_key="inspection:1:2026"
    )

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert second.title == "年检提醒"
    assert Notification.objects.count() == 1


def test_notification_send_same_key_for_two_recipients_makes_two_rows(lihua, wang):
    notification_send(recipient=lihua, title="换届提醒", dedupe_key="term:7:2026")
    notification_send(recipient=wang, title="换届提醒", dedupe_key="term:7:2026")

    assert Notification.objects.count() == 2


def test_notification_send_without_key_never_deduplicates(lihua):
    notification_send(recipient=lihua, title="通知")
    notification_send(recipient=lihua, title="通知")

    assert Notification.objects.count() == 2


def test_notification_send_invalid_level_refused_naming_the_field(lihua):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        notification_send(recipient=lihua, title="通知", level="shouting")

    assert "level" in info.value.message_dict
    assert not Notification.objects.exists()


def _in_thread(target, results, index, *args):
    try:
        results[index] = target(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
        results[index] = exc
    finally:
        connections.close_all()


def _wait_until_blocked_on_lock(timeout: float = 10.0) -> None:
    """Poll PostgreSQL until some other backend waits for a lock (the second insert)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second sender never waited on the first one's insert")


@pytest.mark.django_db(transaction=True)
def test_notification_send_concurrent_same_key_makes_exactly_one_row():
    # given: sender A has inserted but not committed; sender B starts and blocks on the unique index
    user = UserFactory(username="lihua")
    inserted, release = threading.Event(), threading.Event()
    results: list = [None, None]

    def sender_a():
        with transaction.atomic():
            row = notification_send(recipient=user, title="提醒", dedupe_key="gap:branch:9:2026-05")
            inserted.set()
            release.wait(10)
        return row

    def sender_b():
        return notification_send(recipient=user, title="提醒", dedupe_key="gap:branch:9:2026-05")

    a = threading.Thread(target=_in_thread, args=(sender_a, results, 0))
    a.start()
    assert inserted.wait(10)
    b = threading.Thread(target=_in_thread, args=(sender_b, results, 1))
    b.start()

    # when: B is waiting on A's row, A commits
    try:
        _wait_until_blocked_on_lock()
    finally:
        release.set()
        a.join(10)
        b.join(10)

    # then: one row; A created it, B got A's row back instead of an error
    assert not any(isinstance(r, Exception) for r in results), results
    (row_a, created_a), (row_b, created_b) = results
    assert (created_a, created_b) == (True, False)
    assert row_a.pk == row_b.pk
    assert Notification.objects.filter(dedupe_key="gap:branch:9:2026-05").count() == 1


@pytest.mark.django_db(transaction=True)
def test_notification_send_many_threads_same_key_make_exactly_one_row():
    user = UserFactory(username="lihua")
    senders = 8
    barrier = threading.Barrier(senders)
    results: list = [None] * senders

    def send():
        barrier.wait(10)
        return notification_send(recipient=user, title="提醒", dedupe_key="probation:42")

    threads = [threading.Thread(target=_in_thread, args=(send, results, i)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(created for _, created in results) == 1
    assert len({row.pk for row, _ in results}) == 1
    assert Notification.objects.count() == 1


def test_notification_mark_read_sets_time_once(lihua):
    notification = NotificationFactory(recipient=lihua)

    notification_mark_read(notification=notification)
    first = notification.read_at
    notification_mark_read(notification=notification)

    notification.refresh_from_db()
    assert first is not None
    assert notification.read_at == first


def test_notifications_mark_all_read_touches_only_that_users_unread(lihua, wang):
    NotificationFactory.create_batch(3, recipient=lihua)
    NotificationFactory.create_batch(2, recipient=wang)

    assert notifications_mark_all_read(user=lihua) == 3

    assert lihua.notifications.unread().count() == 0
    assert wang.notifications.unread().count() == 2


# --- the portal inbox ----------------------------------------------------------------------


def test_inbox_needs_login(db):
    response = Client().get("/portal/inbox/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inbox_lists_own_notifications_only(lihua, wang):
    NotificationFactory(recipient=lihua, title="李华的提醒")
    NotificationFactory(recipient=wang, title="王的提醒")

    response = _client(lihua).get("/portal/inbox/")

    assert response.status_code == 200
    assert "李华的提醒" in response.text
    assert "王的提醒" not in response.text


def test_inbox_unread_badge_in_sidebar_counts_own_unread(lihua, wang):
    NotificationFactory.create_batch(3, recipient=lihua)
    NotificationFactory(recipient=lihua, read_at="2026-01-01T00:00:00+08:00")
    NotificationFactory.create_batch(5, recipient=wang)

    response = _client(lihua).get("/portal/")

    assert response.context["unread_notifications"] == 3
    assert re.search(r'data-testid="unread-count"[^>]*>3</span>', response.text)


def test_inbox_no_unread_no_badge(lihua):
    response = _client(lihua).get("/portal/inbox/")

    assert 'data-testid="unread-count"' not in response.text


def test_inbox_unread_filter_hides_read_ones(lihua):
    NotificationFactory(recipient=lihua, title="未读的")
    NotificationFactory(recipient=lihua, title="已读的", read_at="2026-01-01T00:00:00+08:00")

    response = _client(lihua).get("/portal/inbox/?unread=1")

    assert "未读的" in response.text
    assert "已读的" not in response.text


def test_inbox_mark_read_post_marks_it_and_lowers_the_badge(lihua):
    one, _ = NotificationFactory.create_batch(2, recipient=lihua)
    client = _client(lihua)

    response = client.post(f"/portal/inbox/{one.pk}/read/")

    assert response.status_code == 302
    one.refresh_from_db()
    assert one.read_at is not None
    assert client.get("/portal/inbox/").context["unread_notifications"] == 1


def test_inbox_mark_read_follows_the_notifications_link(lihua):
    notification = NotificationFactory(recipient=lihua, url="/portal/")

    response = _client(lihua).post(f"/portal/inbox/{notification.pk}/read/")

    assert response["Location"] == "/portal/"


def test_inbox_mark_read_never_redirects_off_site(lihua):
    notification = NotificationFactory(recipient=lihua, url="https://evil.example/")

    response = _client(lihua).post(f"/portal/inbox/{notification.pk}/read/")

    assert response["Location"] == "/portal/inbox/"


def test_inbox_mark_read_get_not_allowed(lihua):
    notification = NotificationFactory(recipient=lihua)

    assert _client(lihua).get(f"/portal/inbox/{notification.pk}/read/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_inbox_mark_read_of_another_users_notification_is_404(lihua, wang):
    theirs = NotificationFactory(recipient=wang)

    response = _client(lihua).post(f"/portal/inbox/{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_mark_read_of_another_users_notification_is_404_for_superuser_too(superuser, wang):
    theirs = NotificationFactory(recipient=wang)

    assert _client(superuser).post(f"/portal/inbox/{theirs.pk}/read/").status_code == 404


def test_inbox_mark_all_read_leaves_others_unread(lihua, wang):
    NotificationFactory.create_batch(3, recipient=lihua)
    NotificationFactory.create_batch(2, recipient=wang)

    response = _client(lihua).post("/portal/inbox/read-all/")

    assert response.status_code == 302
    assert lihua.notifications.unread().count() == 0
    assert wang.notifications.unread().count() == 2


def test_inbox_query_count_does_not_grow_with_notifications(lihua, wang, django_assert_num_queries):
    NotificationFactory.create_batch(5, recipient=lihua)
    client = _client(lihua)
    client.get("/portal/inbox/")  # warm up: session and translation caches
    few = page_queries(client, "/portal/inbox/")
    NotificationFactory.create_batch(50, recipient=wang)
    client = _client(wang)
    client.get("/portal/inbox/")

    with django_assert_num_queries(few):
        response = client.get("/portal/inbox/")

    assert len(response.context["page"].object_list) == 20  # a full first page
    # session, user, COUNT for the pager, COUNT for the badge, the page; the session save (3)
    assert few <= 8


# --- the API -------------------------------------------------------------------------------


def test_api_notifications_lists_only_own(lihua, wang):
    mine = NotificationFactory.create_batch(2, recipient=lihua)
    NotificationFactory.create_batch(3, recipient=wang)

    response = _client(lihua).get("/api/v1/notifications/")

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {n.pk for n in mine}


def test_api_notification_of_another_user_is_404(lihua, wang):
    theirs = NotificationFactory(recipient=wang)

    assert _client(lihua).get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404


def test_api_notifications_anonymous_refused(db):
    assert Client().get("/api/v1/notifications/").status_code in (401, 403)
