"""The pricing API of API.md, end to end."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from core.jalali import solar_year
from insurers.models import Insurer

pytestmark = pytest.mark.django_db

QUOTES = "/api/v1/pricing/quotes/"
LINES = "/api/v1/pricing/lines/"


def post(api_client, body):
    return api_client.post(QUOTES, body, format="json")


def test_lines_describe_each_lines_parameters_for_an_anonymous_visitor(api_client):
    response = api_client.get(LINES)
    assert response.status_code == 200
    lines = {line["code"]: line for line in response.json()}
    assert set(lines) == {"third_party", "body", "fire", "travel", "electronics", "other"}
    group = next(p for p in lines["third_party"]["parameters"] if p["name"] == "vehicle_group")
    assert group["type"] == "choice" and "car_4cyl" in {c["value"] for c in group["choices"]}


def test_lines_give_types_limits_and_defaults(api_client):
    body = next(line for line in api_client.get(LINES).json() if line["code"] == "body")
    params = {p["name"]: p for p in body["parameters"]}
    assert params["car_value"]["type"] == "money" and params["car_value"]["required"] is True
    assert params["build_year"]["min"] == solar_year() - 20 and params["no_claim_years"]["default"] == 0
    assert params["covers"]["type"] == "multi_choice"


def test_other_line_is_listed_without_a_calculator(api_client):
    other = next(line for line in api_client.get(LINES).json() if line["code"] == "other")
    assert other["quotable"] is False


def test_quotes_answer_every_available_insurer_sorted_cheapest_first(api_client):
    response = post(api_client, {"line": "third_party", "params": {"vehicle_group": "car_4cyl"}})
    assert response.status_code == 200
    data = response.json()
    premiums = [quote["premium"] for quote in data["quotes"]]
    assert data["line"] == "third_party"
    assert len(premiums) == Insurer.objects.filter(is_active=True).count()
    assert premiums == sorted(premiums)


def test_every_quote_breakdown_sums_exactly_to_its_premium(api_client):
    response = post(api_client, {"line": "body", "params": {"car_value": 8_000_000_000, "build_year": 1392}})
    for quote in response.json()["quotes"]:
        assert sum(line["amount"] for line in quote["breakdown"]) == quote["premium"]
        assert {"code", "label", "amount"} == set(quote["breakdown"][0])


def test_quotes_accept_persian_digit_strings_and_jalali_dates(api_client):
    params = {"zone": "schengen", "days": "۱۰", "birth_date": "۱۳۷۰/۰۱/۱۵", "coverage": "۳۰۰۰۰"}
    assert post(api_client, {"line": "travel", "params": params}).status_code == 200


def test_quotes_can_be_limited_to_some_insurers(api_client):
    body = {
        "line": "electronics",
        "params": {"device_type": "mobile", "device_value": 10**9},
        "insurers": ["saman", "iran"],
    }
    assert {q["insurer"] for q in post(api_client, body).json()["quotes"]} == {"saman", "iran"}


def test_unknown_insurer_is_a_400_on_insurers(api_client):
    body = {"line": "electronics", "params": {"device_type": "mobile", "device_value": 10**9}, "insurers": ["nope"]}
    response = post(api_client, body)
    assert response.status_code == 400 and "insurers" in response.json()


def test_fire_quotes_carry_inspection_and_installments(api_client):
    params = {"building_value": 20_000_000_000, "covers": ["theft"], "payment": "installments"}
    quote = post(api_client, {"line": "fire", "params": params}).json()["quotes"][0]
    assert quote["inspection_required"] is True
    assert sum(i["amount"] for i in quote["installments"]) == quote["premium"]
    assert quote["installments"][0]["due_on"].count("-") == 2  # ISO in JSON


def test_unknown_line_is_a_400_naming_line(api_client):
    response = post(api_client, {"line": "pets", "params": {}})
    # `errors`: every message with its field path and code (issue 15 point 1).
    assert response.status_code == 400 and list(response.json()) == ["line", "errors"]


def test_other_line_has_no_quotes(api_client):
    response = post(api_client, {"line": "other", "params": {}})
    assert response.status_code == 400 and "line" in response.json()


def test_bad_params_are_a_400_nested_under_params_in_persian(api_client):
    response = post(api_client, {"line": "body", "params": {"car_value": -5, "build_year": 1400}})
    assert response.status_code == 400
    answer = response.json()
    assert [error["field"] for error in answer.pop("errors")] == ["params.car_value"]  # issue 15 point 1
    assert answer == {"params": {"car_value": ["مقدار منفی پذیرفته نیست."]}}


def test_a_22_year_old_car_gets_a_clear_persian_refusal(api_client):
    response = post(api_client, {"line": "body", "params": {"car_value": 5_000_000_000, "build_year": 1383}})
    assert "۲۰ سال" in response.json()["params"]["build_year"][0]


def test_a_93_day_single_trip_gets_a_clear_persian_refusal(api_client):
    params = {"zone": "schengen", "days": 93, "birth_date": "1370/01/15"}
    assert "۹۲ روز" in post(api_client, {"line": "travel", "params": params}).json()["params"]["days"][0]


def test_params_must_be_an_object(api_client):
    response = post(api_client, {"line": "body", "params": [1, 2]})
    assert response.status_code == 400 and "params" in response.json()


def test_missing_line_is_a_400(api_client):
    assert "line" in post(api_client, {"params": {}}).json()


def test_a_warm_quote_request_makes_at_most_3_queries(api_client, django_assert_max_num_queries):
    body = {"line": "third_party", "params": {}}
    post(api_client, body)
    with django_assert_max_num_queries(3):
        assert post(api_client, body).status_code == 200


def test_quotes_are_throttled_in_the_pricing_scope(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"pricing": "2/min"})
    body = {"line": "third_party", "params": {}}
    responses = [post(api_client, body) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0


def test_openapi_schema_documents_the_pricing_endpoints(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/pricing/quotes/" in text and "/api/v1/pricing/lines/" in text


def test_the_lines_catalog_is_built_once_per_tariff_version(api_client, monkeypatch):
    """The catalog is memoised by the snapshot's key: a warm GET rebuilds nothing, and a
    tariff edit (a new snapshot version) is seen by the very next GET."""
    from pricing import selectors
    from pricing.models import TariffRate

    def covers(body):
        body_line = next(line for line in body if line["code"] == "body")
        param = next(p for p in body_line["parameters"] if p["name"] == "covers")
        return {choice["value"] for choice in param["choices"]}

    assert "glass" in covers(api_client.get(LINES).json())
    built = []
    monkeypatch.setattr(selectors, "line_parameters", lambda *a, **k: built.append(a) or [])
    api_client.get(LINES)
    assert built == []  # warm: nothing rebuilt
    monkeypatch.undo()
    TariffRate.objects.get(tariff__solar_year=solar_year(), line="body", table="covers", key="glass").delete()
    assert "glass" not in covers(api_client.get(LINES).json())
