"""Body pricing rules of the sources.

R-296: the number of cylinders (engine volume) is a price factor, as tariff data.
R-297: the driver's conduct (negative points) loads the premium, as tariff data.
R-298: a no-claim record moves only from another car of the insured or of the spouse.
R-300: the usages the source names (personal, taxi, governmental, diplomatic) are quoted.
"""

import re
from decimal import Decimal

import pytest

from pricing.core.errors import InputError
from pricing.models import TariffRate
from tests.pricing.factories import amount, codes, quote_for

VALUE = 10_000_000_000  # 1 billion toman; 2% → 200,000,000 rial
BUILD_YEAR = 1403
QUOTES = "/api/v1/pricing/quotes/"
ERROR = re.compile(r'invalid-feedback d-block" role="alert">([^<]+)<')


def body(overrides=None, **params):
    return quote_for("body", {"car_value": VALUE, "build_year": BUILD_YEAR, **params}, overrides=overrides)


def api_breakdown(api_client, params) -> dict[str, int]:
    body_params = {"car_value": VALUE, "build_year": BUILD_YEAR, **params}
    response = api_client.post(QUOTES, {"line": "body", "params": body_params, "insurers": ["iran"]}, format="json")
    return {line["code"]: line["amount"] for line in response.json()["quotes"][0]["breakdown"]}


# --- engine class ------------------------------------------------------------------------


@pytest.mark.rule("R-296")
@pytest.mark.parametrize(
    ("engine_class", "base"), [("cyl_lt4", 180_000_000), ("cyl_4", 200_000_000), ("cyl_gt4", 240_000_000)]
)
def test_the_base_premium_follows_the_engine_class(engine_class, base):
    assert amount(body(engine_class=engine_class), "base_premium") == base


@pytest.mark.rule("R-296")
def test_the_loadings_follow_the_engine_class_base():
    # Taxi +50% of a base that is 1.2 × the 4-cylinder one.
    assert amount(body(engine_class="cyl_gt4", usage="taxi"), "usage_loading") == 120_000_000


@pytest.mark.rule("R-296")
def test_a_car_without_an_engine_class_is_priced_as_a_4_cylinder():
    assert amount(body(), "base_premium") == 200_000_000


@pytest.mark.rule("R-296")
@pytest.mark.django_db
def test_the_api_prices_the_engine_factor_staff_set_for_the_year(api_client):
    factor = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="engine_factor", key="cyl_gt4")
    factor.value = Decimal("1.5")
    factor.save()
    assert api_breakdown(api_client, {"engine_class": "cyl_gt4"})["base_premium"] == 300_000_000


@pytest.mark.rule("R-296")
@pytest.mark.django_db
def test_the_quote_page_asks_the_engine_class_and_keeps_the_choice(client):
    html = client.get(
        "/pricing/body/",
        {"submitted": "1", "car_value": "1000000000", "build_year": "1403", "engine_class": "cyl_gt4"},
    ).content.decode()
    assert '<option value="cyl_gt4" selected>' in html and "۲۴٬۰۰۰٬۰۰۰ تومان" in html


# --- the driver's negative points -----------------------------------------------------------


@pytest.mark.rule("R-297")
@pytest.mark.parametrize(("points", "pct"), [(0, 0), (10, 10), (29, 20), (45, 30)])
def test_negative_points_load_the_body_base_by_the_step_reached(points, pct):
    assert amount(body(driver_negative_points=points), "violation_loading") == 200_000_000 * pct // 100


@pytest.mark.rule("R-297")
def test_a_driver_without_negative_points_pays_no_surcharge():
    assert "violation_loading" not in codes(body())


@pytest.mark.rule("R-297")
@pytest.mark.django_db
def test_the_api_quotes_the_body_surcharge_staff_set_for_the_year(api_client):
    step = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="violation_loading", key="10")
    step.value = 12
    step.save()
    assert api_breakdown(api_client, {"driver_negative_points": 11})["violation_loading"] == 24_000_000


@pytest.mark.rule("R-297")
@pytest.mark.django_db
def test_the_quote_page_asks_the_negative_points_and_shows_the_body_surcharge(client):
    html = client.get(
        "/pricing/body/",
        {"submitted": "1", "car_value": "1000000000", "build_year": "1403", "driver_negative_points": "20"},
    ).content.decode()
    assert 'name="driver_negative_points" value="20"' in html
    assert "اضافه‌نرخ نمره منفی و تخلفات راننده" in html and "۴٬۰۰۰٬۰۰۰ تومان" in html  # 20% of the base


# --- whose no-claim record ------------------------------------------------------------------


@pytest.mark.rule("R-298")
@pytest.mark.parametrize("source", ["own_previous_car", "spouse"])
def test_a_record_from_another_car_of_the_insured_or_the_spouse_earns_the_discount(source):
    assert amount(body(no_claim_years=2, no_claim_source=source), "no_claim_discount") == -70_000_000  # 35%


@pytest.mark.rule("R-298")
@pytest.mark.parametrize("source", ["parent", "child", "other_person"])
def test_anyone_elses_record_is_refused_naming_the_rule(source):
    with pytest.raises(InputError) as exc:
        body(no_claim_years=2, no_claim_source=source)
    assert list(exc.value.errors) == ["no_claim_source"] and "همسر" in exc.value.errors["no_claim_source"][0]


@pytest.mark.rule("R-298")
@pytest.mark.django_db
def test_the_api_refuses_a_parents_body_record_on_the_field(api_client):
    params = {"car_value": VALUE, "build_year": BUILD_YEAR, "no_claim_years": 3, "no_claim_source": "parent"}
    response = api_client.post(QUOTES, {"line": "body", "params": params}, format="json")
    assert response.status_code == 400 and list(response.json()["params"]) == ["no_claim_source"]


@pytest.mark.rule("R-298")
@pytest.mark.django_db
def test_the_quote_page_refuses_a_childs_body_record_and_keeps_what_was_typed(client):
    html = client.get(
        "/pricing/body/",
        {"submitted": "1", "car_value": "۱٬۰۰۰٬۰۰۰٬۰۰۰", "build_year": "1403", "no_claim_source": "child"},
    ).content.decode()
    assert any("همسر" in error for error in ERROR.findall(html))
    assert '<option value="child" selected>' in html and 'value="۱٬۰۰۰٬۰۰۰٬۰۰۰"' in html


# --- the usages of the source ---------------------------------------------------------------


@pytest.mark.rule("R-300")
@pytest.mark.parametrize("usage", ["personal", "taxi", "government", "diplomatic"])
def test_the_body_quote_accepts_each_usage_the_source_names(usage):
    assert body(usage=usage).premium > 0


@pytest.mark.rule("R-300")
@pytest.mark.django_db
def test_the_loading_of_a_government_car_is_the_staff_figure_of_the_year(api_client):
    rows = TariffRate.objects.filter(line="body", table="usage_loading", key__in=("government", "diplomatic"))
    assert rows.count() == 4 and all(row.is_assumption for row in rows)
    loading = rows.get(tariff__solar_year=1405, key="government")
    loading.value = 10
    loading.save()
    assert api_breakdown(api_client, {"usage": "government"})["usage_loading"] == 20_000_000


@pytest.mark.rule("R-300")
@pytest.mark.django_db
def test_the_quote_page_offers_governmental_and_diplomatic_usage(client):
    html = client.get("/pricing/body/").content.decode()
    assert '<option value="government">دولتی</option>' in html
    assert '<option value="diplomatic">سیاسی</option>' in html
