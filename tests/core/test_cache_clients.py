"""core.cache's Redis caches reuse one redis-py client per connection pool (issue 16): Django
builds a new one per call, which cost more CPU than the GET it made."""

from core.cache import FailSoftRedisCache, RedisCache


def test_the_redis_cache_reuses_its_client():
    cache = RedisCache("redis://127.0.0.1:1/0", {})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_the_fail_soft_memo_cache_reuses_its_client():
    cache = FailSoftRedisCache("redis://127.0.0.1:1/0", {})
    assert cache._cache.get_client("key") is cache._cache.get_client("other")
