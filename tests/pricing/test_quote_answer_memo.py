"""The quote endpoint keeps each answer's bytes per tariff version and request body (issue 16):
a repeated quote is not computed again, answers exactly as a computed one, and a tariff
edit shows on the very next request."""

import json
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from core.jalali import solar_year
from pricing import apis
from pricing.models import TariffRate
from pricing.services import quote_compare

pytestmark = pytest.mark.django_db

QUOTES = "/api/v1/pricing/quotes/"
BODY = {"line": "third_party", "params": {"vehicle_group": "car_4cyl", "no_claim_years": 2}}


def post(client, body, **extra):
    return client.post(
        QUOTES, body if isinstance(body, str) else json.dumps(body), content_type="application/json", **extra
    )


@pytest.fixture
def comparisons(monkeypatch):
    """Every call of quote_compare made by the endpoint."""
    calls = []

    def counting(**kwargs):
        calls.append(kwargs)
        return quote_compare(**kwargs)

    monkeypatch.setattr(apis, "quote_compare", counting)
    return calls


def test_a_repeated_quote_is_answered_without_comparing_again(client, comparisons):
    first, second = post(client, BODY), post(client, BODY)
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(comparisons) == 1


def test_a_remembered_answer_is_byte_for_byte_the_computed_one(client):
    computed = JSONRenderer().render(
        {
            "line": "third_party",
            "solar_year": solar_year(),
            "quotes": list(quote_compare(line=BODY["line"], params=BODY["params"]).quotes_payload),
        }
    )
    first, second = post(client, BODY), post(client, BODY)
    assert first.content == second.content == computed
    assert first["Content-Type"] == second["Content-Type"] == "application/json"
    assert sorted(first.headers) == sorted(second.headers)


def test_a_tariff_edit_shows_on_the_next_quote(client):
    before = post(client, BODY).json()["quotes"]
    rate = TariffRate.objects.get(
        tariff__solar_year=solar_year(), line="third_party", table="base_premium", key="car_4cyl"
    )
    rate.value = rate.value + Decimal(10_000_000)
    rate.save()
    after = post(client, BODY).json()["quotes"]
    assert {q["insurer"]: q["premium"] for q in after} != {q["insurer"]: q["premium"] for q in before}


def test_an_indented_answer_asked_for_is_not_served_from_the_compact_memo(client):
    post(client, BODY)
    indented = post(client, BODY, HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200
    assert b'\n  "line"' in indented.content


def test_errors_are_not_remembered(client, comparisons):
    body = {"line": "third_party", "params": {"vehicle_group": "no-such-group"}}
    assert [post(client, body).status_code for _ in range(2)] == [400, 400]
    assert len(comparisons) == 2


def test_a_large_body_is_answered_but_not_remembered(client, comparisons):
    padded = json.dumps(BODY) + " " * (apis._ANSWER_MEMO_MAX_BODY + 1)
    assert [post(client, padded).status_code for _ in range(2)] == [200, 200]
    assert len(comparisons) == 2


def test_a_reference_data_edit_is_not_hidden_by_a_remembered_answer(client, comparisons):
    """Insurers are reference data, not the tariff: their version is in the memo's key, so a
    saved insurer (renamed, deactivated) makes the next quote a computed one."""
    from insurers.models import Insurer

    post(client, BODY)
    insurer = Insurer.objects.get(code="iran")
    insurer.save()
    post(client, BODY)
    assert len(comparisons) == 2
