"""config.cache.RedisCache on the test Redis: Django's cache, one client per pool reused."""

import threading

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangosRedisCache

from config.cache import RedisCache

pytestmark = pytest.mark.broker


@pytest.fixture
def cache(settings):
    server = redis.Redis.from_url(settings.TEST_REDIS_URL)
    server.flushdb()
    yield RedisCache(settings.TEST_REDIS_URL, {"KEY_PREFIX": "pb-test-cache"})
    server.flushdb()


def test_every_operation_works_as_djangos(cache, settings):
    django_cache = DjangosRedisCache(settings.TEST_REDIS_URL, {"KEY_PREFIX": "pb-test-cache"})
    # given values written through ours
    cache.set("a", {"姓名": "张三"}, 30)
    cache.set_many({"b": 1, "c": [1, 2]}, 30)
    assert cache.add("a", "other") is False
    assert cache.incr("b") == 2
    # then Django's own backend reads the same keys and values, and ours reads what it writes
    assert django_cache.get("a") == {"姓名": "张三"}
    assert django_cache.get_many(["b", "c"]) == {"b": 2, "c": [1, 2]}
    django_cache.set("d", "从 Django", 30)
    assert cache.get("d") == "从 Django"
    assert cache.delete("a") is True and cache.get("a") is None
    assert cache.touch("c", 60) is True
    cache.clear()
    assert django_cache.get("d") is None


def test_one_client_per_pool_reused(cache):
    client = cache._cache.get_client(write=True)
    cache.set("k", "v", 30)
    cache.get("k")
    # the same client for reads and writes on one server, on the pool Django made
    assert cache._cache.get_client() is client
    assert cache._cache.get_client("k", write=True) is client
    assert client.connection_pool is cache._cache._pools[0]
    assert list(cache._cache._pools) == [0]


def test_the_shared_client_serves_threads_at_once(cache):
    errors: list[Exception] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.set(f"t{n}-{i}", i, 30)
                assert cache.get(f"t{n}-{i}") == i
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get_many([f"t{n}-49" for n in range(4)]) == {f"t{n}-49": 49 for n in range(4)}
