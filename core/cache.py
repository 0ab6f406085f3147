"""The shared cache when Redis does not answer (issue 13 point 5).

Two kinds of data live in Redis, and they fail differently:

- memos (the tariff snapshot, the line names): a copy of what the database says. When
  Redis is down, `FailSoftRedisCache` (the `default` cache) reads as a miss and drops the
  write, so the caller computes from the database as on a cold cache, and the page works.
- rate-limit counters: the only copy. They are read from the `rate_limits` cache, a plain
  `RedisCache` that raises, and `core.throttling` decides per scope whether to let the
  request through (open) or refuse it with a Persian 503 (closed).

Both caches bound each Redis call with socket timeouts and no retries (settings), so a
Redis that is gone costs a refused connection, and one that hangs costs at most a second.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a Redis that is down, unreachable or hanging raises (BusyLoadingError, a Redis
# still loading its data, is a ConnectionError too).
CACHE_UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

# One warning a minute per subject and process: a Redis outage must not flood the logs
# with one line per request.
WARNING_INTERVAL_SECONDS = 60
_last_warned: dict[str, float] = {}


def warn_throttled(subject: str, message: str, *args) -> None:
    """Log `message` as a warning, at most once a minute for the same `subject`."""
    now = time.monotonic()
    last = _last_warned.get(subject)
    if last is not None and now - last < WARNING_INTERVAL_SECONDS:
        return
    _last_warned[subject] = now
    logger.warning(message, *args)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache call, and redis-py fills a table of
    ~170 response callbacks in each: about 0.1 ms of CPU, more than the GET itself on
    loopback, three or four times per request (rate limit, tariff version). A `redis.Redis`
    on a pool is safe to share between threads, and holds no connection of its own.
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache on `ReusedClientRedisCacheClient`; raises when Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


class FailSoftRedisCache(RedisCache):
    """A Redis cache for memos: when Redis does not answer, a miss on read, nothing on write.

    After a failure the cache does not try Redis again for RETRY_AFTER_FAILURE_SECONDS in
    this process: a Redis that hangs would otherwise cost its timeout on every call, several
    times per request. Counters (`incr`, `decr`) and `clear` still raise: a caller that
    counts must decide what an unknown count means (see core.throttling).
    """

    RETRY_AFTER_FAILURE_SECONDS = 5

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, operation, call, fallback):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except CACHE_UNAVAILABLE_ERRORS as exc:
            self._down_until = time.monotonic() + self.RETRY_AFTER_FAILURE_SECONDS
            warn_throttled("cache", "Redis cache unavailable (%s: %s); computing without it", operation, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: super(FailSoftRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._call("get_many", lambda: super(FailSoftRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: super(FailSoftRedisCache, self).has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._call("delete", lambda: super(FailSoftRedisCache, self).delete(key, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._call(
            "set_many", lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._call("delete_many", lambda: super(FailSoftRedisCache, self).delete_many(keys, version), None)


# --- Versions: one write drops every entry built on some data --------------------------------


def cache_version(key: str) -> str:
    """The version stored under `key` in the `default` cache, made up when there is none.

    Entries built on some data put its version in their own keys; `cache_version_bump`
    replaces it, which drops them all at once (they are never read again and expire).
    """
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, None)
        version = cache.get(key, version)
    return version


def cache_versions(*keys: str) -> tuple[str, ...]:
    """`cache_version` of each key, in one round trip when they all exist."""
    stored = cache.get_many(keys)
    return tuple(stored[key] if key in stored else cache_version(key) for key in keys)


def cache_version_bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)
