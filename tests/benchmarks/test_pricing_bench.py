"""Benchmark (issue 3): quotes per second per line, the quote endpoint against a bare DRF view
returning the identical JSON (alternating in one process, median ratio; goal ≤ 1.2, must be
≤ 2.0), and at most 3 queries for a warm quote request."""

import itertools
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pricing.services import _QUOTE_MEMO, quote_compare
from tests.benchmarks import bare_urls

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

SAMPLES = {
    "third_party": {"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 3},
    "body": {
        "car_value": 8_000_000_000,
        "build_year": 1400,
        "usage": "personal",
        "no_claim_years": 2,
        "covers": ["glass", "natural_disasters"],
    },
    "fire": {
        "property_type": "residential",
        "area_m2": 120,
        "construction_type": "concrete",
        "building_value": 6_000_000_000,
        "contents_value": 1_000_000_000,
        "covers": ["earthquake"],
        "duration_days": 365,
        "payment": "installments",
    },
    "travel": {"zone": "schengen", "days": 15, "birth_date": "1370/05/20", "coverage": 50000, "trip_type": "single"},
    "electronics": {"device_type": "mobile", "device_value": 600_000_000},
}
MAX_RATIO = 2.0
MAX_WARM_QUERIES = 3


def _report(text):
    print(f"BENCH {text}")  # noqa: T201


def _rate(line, params, *, cold):
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < 0.5:
        if cold:
            _QUOTE_MEMO.clear()  # compute every comparison: a new set of inputs each time
        result = quote_compare(line=line, params=params)
        calls += 1
    return calls / (time.perf_counter() - started), len(result.quotes)


def test_in_process_quotes_per_second_for_every_line(capsys):
    rates = {}
    for line, params in SAMPLES.items():
        quote_compare(line=line, params=params)  # warm the tariff snapshot
        rates[line] = (_rate(line, params, cold=True), _rate(line, params, cold=False))
    with capsys.disabled():
        for line, ((cold, insurers), (warm, _n)) in rates.items():
            _report(
                f"pricing in-process {line}: {cold:,.0f} comparisons/s computed, {warm:,.0f}/s repeated "
                f"({insurers} insurers each, {cold * insurers:,.0f} insurer quotes/s computed)"
            )
    assert all(cold[1] > 0 for cold, _warm in rates.values())


def test_quote_endpoint_against_a_bare_view(settings, capsys, monkeypatch):
    settings.ROOT_URLCONF = "tests.benchmarks.bare_urls"
    # The production rate limit, and callers spread over many addresses as real customers
    # are: the test settings' 10,000/min from one address would make the throttle's
    # per-address history thousands of entries long, which no production caller sees.
    from rest_framework.throttling import ScopedRateThrottle

    from bimemall.settings.base import REST_FRAMEWORK as PRODUCTION_RF

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": PRODUCTION_RF["DEFAULT_THROTTLE_RATES"],
    }
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", PRODUCTION_RF["DEFAULT_THROTTLE_RATES"])
    addresses = itertools.cycle(f"10.{n // 250}.{n % 250}.1" for n in range(2000))
    client = Client()
    body = {"line": "third_party", "params": SAMPLES["third_party"]}
    real = client.post("/api/v1/pricing/quotes/", body, content_type="application/json")
    assert real.status_code == 200
    bare_urls.BARE_PAYLOAD.clear()
    bare_urls.BARE_PAYLOAD.update(real.json())
    assert client.post("/bench/bare-quote/", body, content_type="application/json").json() == real.json()

    def timed(path, calls=40):
        started = time.perf_counter()
        for _ in range(calls):
            response = client.post(path, body, content_type="application/json", REMOTE_ADDR=next(addresses))
        assert response.status_code == 200
        return (time.perf_counter() - started) / calls

    ratios, real_times, bare_times = [], [], []
    for _round in range(15):  # alternate, so both see the same machine state
        real_time, bare_time = timed("/api/v1/pricing/quotes/"), timed("/bench/bare-quote/")
        real_times.append(real_time)
        bare_times.append(bare_time)
        ratios.append(real_time / bare_time)
    ratio = statistics.median(ratios)
    with capsys.disabled():
        _report(
            f"pricing HTTP: quote endpoint {statistics.median(real_times) * 1000:.2f} ms, bare DRF view "
            f"{statistics.median(bare_times) * 1000:.2f} ms, median ratio {ratio:.2f} (goal ≤ 1.2, limit {MAX_RATIO})"
        )
    assert ratio <= MAX_RATIO


def test_warm_quote_request_makes_at_most_three_queries(capsys):
    client = Client()
    body = {"line": "fire", "params": SAMPLES["fire"]}
    client.post("/api/v1/pricing/quotes/", body, content_type="application/json")  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/pricing/quotes/", body, content_type="application/json")
    assert response.status_code == 200
    with capsys.disabled():
        _report(f"pricing warm quote request: {len(queries)} queries (limit {MAX_WARM_QUERIES})")
    assert len(queries) <= MAX_WARM_QUERIES
