"""Helpers of the `redis_celery_app` fixture (tests/conftest.py): Celery on a real Redis, then back."""

import kombu.pools

BROKER_CONF = ("broker_url", "result_backend", "task_always_eager")
KOMBU_POOL_GROUPS = (kombu.pools.producers, kombu.pools.connections)  # producers hold connections


def forget_cached_connections(celery_app) -> None:
    """Make the app look up its broker pool and result backend again, for the URLs now configured."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    backend = celery_app._backend
    if backend is not None and hasattr(backend, "result_consumer"):  # the Redis backend's pub/sub
        backend.result_consumer.stop()
        backend.client.connection_pool.disconnect()
    celery_app._backend_cache = None
    vars(celery_app._local).pop("backend", None)


def close_pools_created_since(known: list[list]) -> None:
    """Close the kombu pools (global, keyed by connection) opened during the test: the Redis ones.

    The pools that existed before (the in-memory broker's) stay open: other tests still use them.
    """
    for group, before in zip(KOMBU_POOL_GROUPS, known, strict=True):
        for key in list(dict.keys(group)):
            if not any(key is old for old in before):
                dict.pop(group, key).force_close_all()
