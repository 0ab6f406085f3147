"""Guards of issue 16 point 3: what one request of each hot path costs, in-process, against a
bare Django view behind the same middleware, and how many SQL statements it makes.

A slower change fails the build here instead of showing up weeks later in `make load`.
The ratio is CPU time of this process (`time.process_time`: Django's own work, not the
database's) per request, over the bare view's, median of alternating rounds so both sides
see the same machine state; CI runs it on PostgreSQL. Each budget is the ratio measured
when it was set (docs/BENCHMARKS.md, "Guards") with a margin for a busy CI machine; each
query count is exact, so a new statement on a hot path is a decision, not an accident.

Callers are spread over many addresses and signed-in callers over many accounts, under
the production rate limits: each production caller's limiter state is small, which is
what this measures (one address sending thousands of requests is the load test's artefact,
not a customer's cost).
"""

import itertools
import statistics
import time
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services import api_token_issue
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent, request_payload

pytestmark = [pytest.mark.postgres, pytest.mark.bench, pytest.mark.django_db]

ROUNDS = 7


@dataclass(frozen=True)
class Budget:
    max_ratio: float  # CPU per request over the bare view's, median of ROUNDS
    queries: int  # exactly this many SQL statements per request, once warm
    calls: int = 30  # requests per round


BUDGETS = {
    "home": Budget(max_ratio=2.8, queries=0),
    "pricing index": Budget(max_ratio=2.8, queries=0),
    "pricing page (blank form)": Budget(max_ratio=3.0, queries=0),
    "provinces": Budget(max_ratio=2.5, queries=0),
    "lines": Budget(max_ratio=2.7, queries=0),
    "quote": Budget(max_ratio=3.0, queries=0),
    "inbox": Budget(max_ratio=20.0, queries=3, calls=15),
    "post a request": Budget(max_ratio=36.0, queries=6, calls=6),
    "code request": Budget(max_ratio=14.0, queries=4, calls=15),
}


def _report(text):
    print(f"BENCH {text}")  # noqa: T201


@pytest.fixture
def production_rate_limits(settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    from bimemall.settings.base import REST_FRAMEWORK as PRODUCTION_RF

    rates = PRODUCTION_RF["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def marketplace(db):
    """As `make load` seeds it: 10 active agents each of `iran` and `asia` in Tehran, 20
    open requests in every inbox, and customers with API tokens."""
    agents = [active_agent(insurer=code) for code in ("iran", "asia") for _ in range(10)]
    customers = [UserFactory() for _ in range(60)]
    tokens = [api_token_issue(user=customer, ip=None, user_agent="bench")[1] for customer in customers]
    seeding = Client()
    for token in tokens[:20]:
        answer = seeding.post(
            "/api/v1/requests/", request_payload(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )
        assert answer.status_code == 201, answer.content
    agent_token = api_token_issue(user=agents[0].user, ip=None, user_agent="bench")[1]
    return {"customer_tokens": tokens[20:], "agent_token": agent_token}


def _calls(marketplace):
    client = Client()
    addresses = (f"10.{n // 250}.{n % 250}.{n % 7 + 1}" for n in itertools.count())
    customers = itertools.cycle(marketplace["customer_tokens"])
    mobiles = (f"0936{n:07d}" for n in itertools.count())
    agent = {"HTTP_AUTHORIZATION": f"Token {marketplace['agent_token']}"}
    quote_body = {"line": "third_party", "params": {"vehicle_group": "car_4cyl", "no_claim_years": 2}}

    def post_a_request():
        return client.post(
            "/api/v1/requests/",
            request_payload(note=""),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {next(customers)}",
            REMOTE_ADDR=next(addresses),
        )

    return {
        "bare": lambda: client.get("/bench/bare/"),
        "home": lambda: client.get("/"),
        "pricing index": lambda: client.get("/pricing/"),
        "pricing page (blank form)": lambda: client.get("/pricing/third_party/"),
        "provinces": lambda: client.get("/api/v1/provinces/"),
        "lines": lambda: client.get("/api/v1/pricing/lines/"),
        "quote": lambda: client.post(
            "/api/v1/pricing/quotes/", quote_body, content_type="application/json", REMOTE_ADDR=next(addresses)
        ),
        "inbox": lambda: client.get("/api/v1/agent/leads/", **agent),
        "post a request": post_a_request,
        "code request": lambda: client.post(
            "/api/v1/auth/otp/", {"mobile": next(mobiles)}, content_type="application/json", REMOTE_ADDR=next(addresses)
        ),
    }


def _cpu_per_call(call, count):
    started = time.process_time()
    for _ in range(count):
        answer = call()
    elapsed = time.process_time() - started
    assert answer.status_code < 400, answer.content[:300]
    return elapsed / count


@pytest.mark.parametrize("name", list(BUDGETS))
def test_a_hot_path_costs_no_more_than_its_budget_against_a_bare_view(
    name, marketplace, production_rate_limits, settings, capsys
):
    settings.ROOT_URLCONF = "tests.benchmarks.bare_urls"
    budget = BUDGETS[name]
    calls = _calls(marketplace)
    call, bare = calls[name], calls["bare"]
    for _ in range(3):  # warm: caches, memos, the tariff snapshot, connections
        call()
        bare()
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    assert answer.status_code < 400, answer.content[:300]
    statements = [query["sql"] for query in queries.captured_queries]
    ratios, costs, bare_costs = [], [], []
    for _round in range(ROUNDS):
        cost, bare_cost = _cpu_per_call(call, budget.calls), _cpu_per_call(bare, budget.calls)
        costs.append(cost)
        bare_costs.append(bare_cost)
        ratios.append(cost / bare_cost)
    ratio = statistics.median(ratios)
    with capsys.disabled():
        _report(
            f"request cost {name}: {statistics.median(costs) * 1000:.2f} ms CPU against the bare view's "
            f"{statistics.median(bare_costs) * 1000:.2f} ms, median ratio {ratio:.2f} (budget {budget.max_ratio}), "
            f"{len(statements)} queries (pinned at {budget.queries})"
        )
    assert len(statements) == budget.queries, "\n".join(statements)
    assert ratio <= budget.max_ratio
