"""R-292: a home's fire premium depends on its region (seed [003]: area, contents and
region); the region factor and the regional construction cost are tariff data per year."""

import re
from decimal import Decimal

import pytest

from pricing.models import TariffRate
from tests.pricing.factories import amount, quote_for

pytestmark = pytest.mark.rule("R-292")

BUILDING = 1_000_000_000  # 0.11‰ → 110,000 rial
QUOTES = "/api/v1/pricing/quotes/"
LINES = "/api/v1/pricing/lines/"
PREMIUM = re.compile(r'data-premium="(\d+)"')


def fire(overrides=None, **params):
    return quote_for("fire", params, overrides=overrides)


def test_the_region_factor_scales_the_main_risk_rate():
    quote = fire(building_value=BUILDING, region="gilan", overrides={("fire", "region_factor", "gilan"): "1.2"})
    assert amount(quote, "main_risks_building") == 132_000


def test_the_region_factor_carries_into_the_additional_risks():
    overrides = {("fire", "region_factor", "gilan"): 2}
    quote = fire(building_value=BUILDING, region="gilan", covers=["flood"], overrides=overrides)
    assert amount(quote, "cover_flood") == 2 * 220_000  # flood = 2 × the (doubled) main risks


def test_an_unstated_region_is_priced_at_the_national_rate():
    overrides = {("fire", "region_factor", "gilan"): 2}
    assert amount(fire(building_value=BUILDING, overrides=overrides), "main_risks_building") == 110_000


def test_the_building_of_a_tehran_home_is_valued_at_tehrans_construction_cost():
    # 100 m² × 300,000,000 rial (Tehran, about 30M toman/m²) instead of the national 150,000,000.
    tehran = fire(area_m2=100, region="tehran")
    assert amount(tehran, "main_risks_building") == int(Decimal(30_000_000_000) * Decimal("0.11") / 1000)
    assert amount(fire(area_m2=100, region="yazd"), "main_risks_building") == amount(
        fire(area_m2=100), "main_risks_building"
    )


@pytest.mark.django_db
def test_every_province_has_a_factor_in_each_years_tariff_flagged_until_real_figures_arrive():
    for year in (1404, 1405):
        rows = TariffRate.objects.filter(tariff__solar_year=year, line="fire", table="region_factor")
        assert rows.count() == 31 and all(row.is_assumption for row in rows)


@pytest.mark.django_db
def test_the_api_lists_the_region_and_prices_with_the_staff_figure(api_client):
    fire_line = next(line for line in api_client.get(LINES).json() if line["code"] == "fire")
    region = next(param for param in fire_line["parameters"] if param["name"] == "region")
    assert region["required"] is False and "tehran" in {choice["value"] for choice in region["choices"]}

    factor = TariffRate.objects.get(tariff__solar_year=1405, line="fire", table="region_factor", key="gilan")
    factor.value = Decimal("1.5")
    factor.save()
    body = {"line": "fire", "params": {"building_value": BUILDING, "region": "gilan"}, "insurers": ["iran"]}
    breakdown = {
        line["code"]: line["amount"]
        for line in api_client.post(QUOTES, body, format="json").json()["quotes"][0]["breakdown"]
    }
    assert breakdown["main_risks_building"] == 165_000


@pytest.mark.django_db
def test_an_unknown_region_is_a_400_on_the_region_field(api_client):
    body = {"line": "fire", "params": {"building_value": BUILDING, "region": "atlantis"}}
    response = api_client.post(QUOTES, body, format="json")
    assert response.status_code == 400 and list(response.json()["params"]) == ["region"]


@pytest.mark.django_db
def test_the_quote_page_asks_the_region_and_keeps_the_choice(client):
    html = client.get("/pricing/fire/", {"submitted": "1", "area_m2": "100", "region": "tehran"}).content.decode()
    assert 'name="region"' in html and '<option value="tehran" selected>' in html
    tehran = min(int(value) for value in PREMIUM.findall(html))
    html = client.get("/pricing/fire/", {"submitted": "1", "area_m2": "100", "region": ""}).content.decode()
    assert tehran > min(int(value) for value in PREMIUM.findall(html))
