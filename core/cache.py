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

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
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


class FailSoftRedisCache(RedisCache):
    """A Redis cache for memos: when Redis does not answer, a miss on read, nothing on write.

    Counters (`incr`, `decr`) and `clear` still raise: a caller that counts must decide
    what an unknown count means (see core.throttling).
    """

    def _unavailable(self, operation, exc):
        warn_throttled("cache", "Redis cache unavailable (%s: %s); computing without it", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_UNAVAILABLE_ERRORS as exc:
            self._unavailable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except CACHE_UNAVAILABLE_ERRORS as exc:
            self._unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_UNAVAILABLE_ERRORS as exc:
            self._unavailable("has_key", exc)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write("add", super().add, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._write("set", super().set, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._write("touch", super().touch, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._write("delete", super().delete, key, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        result = self._write("set_many", super().set_many, data, timeout, version=version)
        # Django's contract: the keys that were not stored.
        return list(data) if result is False else result

    def delete_many(self, keys, version=None):
        self._write("delete_many", super().delete_many, keys, version=version)

    def _write(self, operation, write, *args, **kwargs):
        try:
            return write(*args, **kwargs)
        except CACHE_UNAVAILABLE_ERRORS as exc:
            self._unavailable(operation, exc)
            return False
