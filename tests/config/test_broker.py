"""The real broker: a task round-trips producer → Redis → worker → result backend (DESIGN.md, Runtime).

Runs in `make test` against TEST_REDIS_URL. Redis down is a failure, never a skip: the
production shape needs it. Every other test keeps Celery eager; the fixture puts that back.
"""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult

from config.celery_app import app
from config.tasks import PING_REPLY, platform_ping_task


@pytest.mark.broker
def test_platform_ping_task_through_redis_worker_round_trips(redis_celery_app):
    # given: a worker consuming a queue of this run's own, so parallel runs on the same Redis never
    # take each other's messages
    queue = f"pb-test-{uuid.uuid4().hex}"
    with start_worker(redis_celery_app, queues=[queue], perform_ping_check=False, shutdown_timeout=30):
        # when
        result = platform_ping_task.apply_async(queue=queue)
        reply = result.get(timeout=30)

    # then: the reply came back through the result backend, not from an in-process call
    assert not isinstance(result, EagerResult)
    assert reply == PING_REPLY
    assert result.state == "SUCCESS"


def test_platform_ping_task_outside_broker_tests_runs_eagerly():
    # Runs after the broker test in this module: fails if that test leaked its Redis configuration.
    result = platform_ping_task.delay()

    assert isinstance(result, EagerResult)
    assert result.get() == PING_REPLY
    assert app.conf.broker_url == "memory://"
