"""The rule for unreadable rate-limit counters, scope by scope, and the memo cache around a
dead Redis (issue 13 point 5). The end-to-end proof with a real Redis stopped under the app
is tests/faults/test_redis_down.py; these need no server."""

import logging
import socket
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.test import APIRequestFactory

import core.cache
import core.throttling
from core.cache import FailSoftRedisCache
from core.throttling import (
    ClientIpScopedRateThrottle,
    RateLimiterUnavailable,
    WhenDown,
    limiter_down,
    when_limiter_down,
)


class _DeadCache:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return refuse


@pytest.fixture
def dead_limiter(monkeypatch):
    monkeypatch.setattr(core.throttling, "rate_limit_cache", lambda: _DeadCache())
    monkeypatch.setattr(core.cache, "_last_warned", {})


def _allow(scope):
    request = APIRequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    return ClientIpScopedRateThrottle().allow_request(request, SimpleNamespace(throttle_scope=scope))


@pytest.mark.parametrize("scope", ["auth", "auth_status", "admin_login", "payments", "a_scope_nobody_classified"])
def test_scopes_guarding_secrets_or_money_fail_closed(dead_limiter, scope):
    """issue 13 point 5: sign-in and payments refuse (503) rather than run unlimited."""
    assert when_limiter_down(scope) is WhenDown.CLOSED
    with pytest.raises(RateLimiterUnavailable) as refused:
        limiter_down(scope, RedisConnectionError("refused"))
    assert refused.value.status_code == 503
    assert refused.value.wait > 0


@pytest.mark.parametrize("scope", ["auth", "auth_status", "payments"])
def test_the_throttle_applies_the_rule(dead_limiter, scope):
    """issue 13 point 5: a DRF throttle of a closed scope raises the 503 instead of a 500."""
    with pytest.raises(RateLimiterUnavailable):
        _allow(scope)


@pytest.mark.parametrize("scope", ["pricing", "requests", "lead_respond", "uploads", "claims", "support"])
def test_other_scopes_fail_open_with_one_warning_a_minute(dead_limiter, scope, caplog):
    """issue 13 point 5: quotes and the marketplace keep working, and the log says so once."""
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert _allow(scope) is True
        assert _allow(scope) is True
    warnings = [r for r in caplog.records if "fails open" in r.getMessage()]
    assert len(warnings) == 1


def test_memo_cache_reads_a_miss_and_drops_writes_when_redis_is_gone():
    """issue 13 point 5: the memo cache never raises for reads and writes; counters still do."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens once the block ends
    memo = FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )
    assert memo.get("pricing:line-names") is None
    assert memo.get("pricing:line-names", "fallback") == "fallback"
    assert memo.get_many(["a", "b"]) == {}
    assert memo.add("a", 1) is False
    memo.set("a", 1)
    memo.delete("a")
    assert memo.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(RedisConnectionError):
        memo.incr("counter")


def test_memo_cache_does_not_retry_redis_on_every_call(monkeypatch):
    """issue 13 point 5: after a failure, memo reads skip Redis for a few seconds, so a
    hanging Redis costs one timeout, not one per cache call of every request."""
    from django.core.cache.backends.redis import RedisCache

    memo = FailSoftRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    calls = []

    def hanging(self, key, default=None, version=None):
        calls.append(key)
        raise RedisTimeoutError("Timeout connecting to server")

    monkeypatch.setattr(RedisCache, "get", hanging)
    assert memo.get("a", "computed") == "computed"
    assert memo.get("b", "computed") == "computed"
    assert calls == ["a"]


def test_every_scope_with_a_rate_is_classified_on_purpose(settings):
    """A new scope must say whether it fails open or closed; the default (closed) is a safety
    net, not a decision (issue 13 point 5)."""
    scopes = set(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    assert scopes - set(core.throttling.WHEN_LIMITER_DOWN) == set()
