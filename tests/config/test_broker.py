"""The real broker: a task round-trips producer → Redis → worker → result backend (DESIGN.md, Runtime).

Runs in `make test` against TEST_REDIS_URL. Redis down is a failure, never a skip: the
production shape needs it. Every other test keeps Celery eager; the fixture puts that back.
"""

import logging
import uuid

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult

from config.celery_app import app
from config.tasks import PING_REPLY, platform_ping_task

_BROKER_CONF = ("broker_url", "result_backend", "task_always_eager")
_KOMBU_POOL_GROUPS = (kombu.pools.producers, kombu.pools.connections)  # producers hold connections


def _forget_cached_connections(celery_app) -> None:
    """Make the app look up its broker pool and result backend again, for the URLs now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    backend = celery_app._backend
    if backend is not None and hasattr(backend, "result_consumer"):  # the Redis backend's pub/sub
        backend.result_consumer.stop()
        backend.client.connection_pool.disconnect()
    celery_app._backend_cache = None
    vars(celery_app._local).pop("backend", None)


def _close_pools_created_since(known: list[list]) -> None:
    """Close the kombu pools (global, keyed by connection) opened during the test: the Redis ones.

    The pools that existed before (the in-memory broker's) stay open: other tests still use them.
    """
    for group, before in zip(_KOMBU_POOL_GROUPS, known, strict=True):
        for key in list(dict.keys(group)):
            if not any(key is old for old in before):
                dict.pop(group, key).force_close_all()


@pytest.fixture
def redis_celery_app(settings):
    """The project's Celery app on TEST_REDIS_URL with eager off, for this test only."""
    url = settings.TEST_REDIS_URL
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # Redis down: ConnectionError, loudly
    saved_conf = {key: app.conf[key] for key in _BROKER_CONF}
    known_pools = [list(dict.keys(group)) for group in _KOMBU_POOL_GROUPS]
    root = logging.getLogger()
    saved_logging = (root.level, root.handlers[:])  # the embedded worker reconfigures the root logger
    _forget_cached_connections(app)
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    try:
        yield app
    finally:
        _forget_cached_connections(app)
        _close_pools_created_since(known_pools)
        app.conf.update(saved_conf)
        app.set_current()
        root.setLevel(saved_logging[0])
        root.handlers[:] = saved_logging[1]


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
