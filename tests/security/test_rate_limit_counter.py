"""The rate-limit counter (issue 16 point 2): core.throttling.spend_one, one number per key
(GCRA) instead of DRF's list of every request's time.

The bound it keeps (core/throttling.py): R requests per P seconds let R through at once,
then one every P/R seconds; in any span of d seconds at most R + ⌊d·R/P⌋ get through.
"""

import contextlib
import math
import pickle
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from rest_framework.test import APIClient, APIRequestFactory

from bimemall.settings.base import redis_caches
from core.throttling import ClientIpScopedRateThrottle, rate_limit_cache

ADDRESS = "203.0.113.50"
KEY = f"throttle_pricing_{ADDRESS}"
QUOTES = "/api/v1/pricing/quotes/"


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ClientIpScopedRateThrottle, "timer", staticmethod(lambda: clock.now))
    return clock


@contextlib.contextmanager
def _in_redis(url):
    """The counters in a real Redis under a key prefix of this test's own: nothing else in
    that Redis is touched, and the test's keys are deleted after it."""
    caches = redis_caches(url)
    prefix = f"test-rate-limit-{uuid.uuid4().hex}"
    for alias in caches.values():
        alias["KEY_PREFIX"] = prefix
    try:
        with override_settings(CACHES=caches):
            yield rate_limit_cache()
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def limiter(request):
    """The counters in the test settings' LocMemCache, and in Redis (REDIS_URL)."""
    if request.param == "locmem":
        yield rate_limit_cache()
        return
    with _in_redis(request.getfixturevalue("redis_url")) as cache:
        yield cache


def _allow(scope=None, address=ADDRESS):
    request = APIRequestFactory().post("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    throttle = ClientIpScopedRateThrottle()
    allowed = throttle.allow_request(request, SimpleNamespace(throttle_scope=scope or "pricing"))
    return allowed, throttle.wait()


def test_exactly_the_rate_is_allowed_then_429_with_retry_after_within_the_window(rates, clock, db):
    """issue 16 point 2: 3/min: three quotes, then 429 with Retry-After in [1, 60]."""
    rates("pricing", "3/min")
    client = APIClient(REMOTE_ADDR=ADDRESS)
    for _ in range(3):
        assert client.post(QUOTES, {}, format="json").status_code == 400
    refused = client.post(QUOTES, {}, format="json")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


@pytest.mark.parametrize(("rate", "period"), [("3/min", 60), ("10/min", 60), ("2/s", 1), ("5/hour", 3600)])
def test_retry_after_is_when_the_next_request_is_allowed(rates, clock, limiter, rate, period):
    """issue 16 point 2: Retry-After lies in [1, P] and is exact: earlier is refused, then allowed."""
    rates("pricing", rate)
    limit = int(rate.split("/")[0])
    for _ in range(limit):
        assert _allow()[0]
    allowed, wait = _allow()
    assert not allowed
    retry_after = max(1, math.ceil(wait))  # what DRF and web_rate_limit send
    assert 1 <= retry_after <= period
    clock.now += wait - 0.01
    assert not _allow()[0]
    clock.now += 0.01
    assert _allow()[0]


def test_the_budget_refills_as_time_passes(rates, clock, limiter):
    """issue 16 point 2: 3/min: one more request every 20 s after a burst of three."""
    rates("pricing", "3/min")
    assert [_allow()[0] for _ in range(4)] == [True, True, True, False]
    clock.now += 19.9
    assert not _allow()[0]
    clock.now += 0.1
    assert [_allow()[0] for _ in range(2)] == [True, False]
    clock.now += 60  # a minute idle: the whole burst again, no more
    assert [_allow()[0] for _ in range(4)] == [True, True, True, False]


def test_no_span_holds_more_than_the_documented_bound(rates, clock, limiter):
    """issue 16 point 2: a caller knocking every 0.25 s for five minutes at 5/min gets at
    most R + ⌊d·R/P⌋ in any span of d seconds: R at an instant (no second budget at a
    minute's edge), 2R − 1 in the first minute (the bound is reached), R per minute after."""
    rates("pricing", "5/min")
    start, allowed = clock.now, []
    while clock.now < start + 300:
        if _allow()[0]:
            allowed.append(clock.now - start)
        clock.now += 0.25
    for span in (0.001, 1, 12, 30, 60, 61, 120):
        most = max(sum(1 for t in allowed if a <= t < a + span) for a in allowed)
        assert most <= 5 + math.floor(span * 5 / 60), (span, most)
    assert sum(1 for t in allowed if t < 60) == 2 * 5 - 1
    assert sum(1 for t in allowed if 60 <= t < 60.001) <= 1  # no fresh burst at the minute


def test_the_stored_value_does_not_grow_with_the_requests(rates, clock, limiter):
    """issue 16 point 2: one number per key, however many requests it counted."""
    rates("pricing", "100000/min")
    _allow()
    first = limiter.get(KEY)
    for _ in range(500):
        assert _allow()[0]
        clock.now += 0.0001
    stored = limiter.get(KEY)
    assert type(stored) is int and type(first) is int
    assert len(pickle.dumps(stored)) == len(pickle.dumps(first))


def test_a_key_left_by_drfs_list_counts_as_new(rates, clock, limiter):
    """issue 16 point 2: the keys are DRF's; a list left by the previous version on deploy
    is replaced, not a 500."""
    rates("pricing", "3/min")
    limiter.set(KEY, [clock.now - 1, clock.now - 2], 60)
    assert [_allow()[0] for _ in range(4)] == [True, True, True, False]


@pytest.mark.redis
@pytest.mark.parametrize("spent", [0, 4])
def test_simultaneous_requests_at_the_edge_allow_no_more_than_the_limit(rates, redis_url, spent):
    """issue 16 point 2: 20 requests at once against Redis, with 0 or 4 of 5 spent: exactly
    the rest get through (the check and the update are one Lua script)."""
    rates("pricing", "5/min")
    with _in_redis(redis_url):
        assert _knock_at_once(spent) == 5 - spent


def _knock_at_once(spent):
    for _ in range(spent):
        assert _allow()[0]
    start = threading.Barrier(20)

    def knock(_):
        start.wait()
        return _allow()[0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        return sum(pool.map(knock, range(20)))
