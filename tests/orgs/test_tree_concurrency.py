"""Concurrent writers on the Region tree: the per-tree advisory lock keeps lft/rght consistent.

Each thread has its own database connection (closed when it ends) and commits
for real, hence `transaction=True`. A barrier releases both writers of a pair
at the same instant before every write, so their transactions overlap.
"""

import threading

import pytest
from django.db import connection, connections

from orgs import tree_locks
from orgs.models import Region
from orgs.services.regions import region_create
from orgs.tree_checks import check_model
from tests.actors import SYSTEM

ROUNDS = 25  # writes per thread
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="advisory locks and concurrent writers need PostgreSQL"
)


def run_concurrently(*jobs):
    """Run each job(barrier) in its own thread with its own connection; re-raise the first error."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def runner(job):
        try:
            job(barrier)
        except Exception as error:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(error)
            barrier.abort()  # do not leave the other threads waiting
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real:
        raise real[0]


def insert_communities(street_code: str, numbers):
    def job(barrier):
        street = Region.objects.get(code=street_code)
        for n in numbers:
            barrier.wait(timeout=30)
            region_create(
                code=f"{street_code}{n:03d}", name=f"社区{n}", kind="community", parent=street, actor=SYSTEM
            )

    return job


def create_districts(province: int):
    def job(barrier):
        for n in range(1, ROUNDS + 1):
            barrier.wait(timeout=30)
            region_create(
                code=f"{province}{n:02d}01", name=f"区{province}-{n}", kind="district", actor=SYSTEM
            )

    return job


def build_street():
    district = region_create(code="330499", name="示范区", kind="district", actor=SYSTEM)
    return region_create(code="330499001", name="东湖街道", kind="street", parent=district, actor=SYSTEM)


def run_both_pairs(street):
    odd = range(1, 2 * ROUNDS, 2)
    even = range(2, 2 * ROUNDS + 1, 2)
    run_concurrently(
        insert_communities(street.code, odd),
        insert_communities(street.code, even),
        create_districts(11),
        create_districts(12),
    )


@pytest.mark.django_db(transaction=True)
def test_region_create_concurrent_writers_keep_trees_consistent():
    # given
    street = build_street()
    # when: two writers fill one street while two others create districts
    run_both_pairs(street)
    # then
    assert check_model(Region) == []
    codes = set(Region.objects.get(pk=street.pk).get_children().values_list("code", flat=True))
    assert codes == {f"330499001{n:03d}" for n in range(1, 2 * ROUNDS + 1)}
    roots = Region.objects.filter(parent=None)
    assert roots.count() == 1 + 2 * ROUNDS
    assert len(set(roots.values_list("tree_id", flat=True))) == 1 + 2 * ROUNDS


@pytest.mark.django_db(transaction=True)
def test_region_create_concurrent_writers_without_lock_corrupt_trees(monkeypatch):
    """The control experiment: the same writers with the lock made a no-op do corrupt the trees.

    If this test fails, the consistency test above proves nothing (the race it
    guards against is not being produced).
    """
    # given
    street = build_street()
    monkeypatch.setattr(tree_locks, "_acquire", lambda model, tree_id, stack: None)
    # when
    run_both_pairs(street)
    # then
    problems = check_model(Region)
    assert problems, "no corruption without the lock: the concurrency test does not exercise the race"
    messages = " ".join(p.message for p in problems)
    assert "roots" in messages  # two districts given the same tree_id
    assert "bound" in messages or "overlaps" in messages  # two communities given the same lft


def held_advisory_tree_ids():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
            "AND classid = %s",
            [tree_locks._model_key(Region)],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)  # earlier writes commit, so their locks are released
def test_tree_lock_for_stale_instance_locks_tree_it_is_in_now():
    # given: a street loaded, then moved to another district (so its in-memory tree_id is stale)
    street = build_street()
    stale = Region.objects.get(pk=street.pk)
    other = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)
    Region.objects.filter(pk=street.pk).update(tree_id=other.tree_id)  # what a move does to the row
    # when / then: the lock follows the row, not the instance
    with tree_locks.tree_lock_for(Region, stale, new_tree=True):
        assert held_advisory_tree_ids() == {tree_locks.NEW_TREE, other.tree_id}
    assert stale.tree_id != other.tree_id
