"""The nightly coverage snapshot through the real broker: beat's message → Redis → a worker → the
database, as in production (the rest of the suite runs tasks eagerly)."""

import datetime as dt
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult

from config.celery_app import app
from stats.models import CoverageSnapshot
from stats.tasks import coverage_snapshot_task
from tests.orgs.factories import build_region_tree
from tests.stats import builders as b


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)  # the worker thread must see the committed rows
def test_coverage_snapshot_task_nightly_entry_through_redis_worker(redis_celery_app):
    # given: a district with one covered organization, and beat's entry for the job
    regions = build_region_tree()
    org = b.organization("东湖示范社工服务中心", region=regions.community_a1)
    po = b.party_org(
        "东湖示范支部", mode="single", region=regions.community_a1, parent=b.committee(regions.district)
    )
    b.link(po, org, dt.date(2020, 1, 1))
    entry = app.conf.beat_schedule["coverage-snapshot-nightly"]
    queue = f"pb-test-{uuid.uuid4().hex}"

    # when: the message beat would send is consumed by a worker (twice: a re-run changes nothing)
    with start_worker(redis_celery_app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
        first = redis_celery_app.send_task(entry["task"], queue=queue, **entry.get("options", {}))
        assert first.get(timeout=60) == 3  # the district and its two streets
        second = coverage_snapshot_task.apply_async(queue=queue)
        assert second.get(timeout=60) == 3

    # then: one snapshot of yesterday for the district (and each street), written by the worker
    assert not isinstance(first, EagerResult)
    assert CoverageSnapshot.objects.count() == 3
    snapshot = CoverageSnapshot.objects.get(region=regions.district)
    assert (snapshot.region, snapshot.figures["total"], snapshot.figures["single"]) == (
        regions.district,
        1,
        1,
    )
