"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

`django.core.cache.backends.redis.RedisCacheClient.get_client()` builds a new `redis.Redis` for every
cache operation: 87 µs here, most of it redis-py copying its response callbacks (about 170) into a
case-insensitive dict. A logged-in request makes three or more (its session, the page cache, the
rate limits). A `redis.Redis` over a connection pool is safe to share (each command takes a
connection from the pool and gives it back), so the client made for a pool is kept and reused.
Everything else — pools, serialisation, timeouts, every operation — is Django's.

CACHES's BACKEND names `config.cache.RedisCache` wherever Django's Redis cache was named.
"""

from typing import Any, cast

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[Any, Any] = {}  # connection pool → its client

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django = cast(Any, self)  # Django's private methods, not in django-stubs
        pool = django._get_connection_pool(write)  # Django's choice of server and its pool
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = django._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
