"""R-291: the third-party no-claim discount follows the newer regulation (5% a year up to
70% after 14 years), not the seed's table that stops at 45% after nine years; the figures
are tariff data of each solar year, which staff can change."""

from decimal import Decimal

import pytest

from pricing.models import TariffRate
from tests.pricing.factories import amount, quote_for

pytestmark = pytest.mark.rule("R-291")

CAR_4CYL_BASE = 105_132_000
QUOTES = "/api/v1/pricing/quotes/"


def no_claim_pct(quote) -> Decimal:
    return Decimal(-amount(quote, "no_claim_discount")) / CAR_4CYL_BASE * 100


@pytest.mark.parametrize(("years", "pct"), [(1, 5), (9, 45), (10, 50), (13, 65), (14, 70), (25, 70)])
def test_the_discount_grows_5_percent_a_year_to_70_after_14_years(years, pct):
    assert no_claim_pct(quote_for("third_party", {"no_claim_years": years})) == pct


@pytest.mark.django_db
def test_each_solar_year_carries_the_figures_with_the_newer_regulation_as_source():
    rows = TariffRate.objects.filter(line="third_party", table="no_claim")
    by_year = {(row.tariff.solar_year, row.key): row for row in rows}
    assert {key: by_year[key].value for key in by_year} == {
        (1404, "per_year"): 5,
        (1404, "cap"): 70,
        (1405, "per_year"): 5,
        (1405, "cap"): 70,
    }
    assert all("1395 art. 8" in row.source and not row.is_assumption for row in rows)


@pytest.mark.django_db
def test_staff_change_the_cap_of_the_year_and_the_api_quotes_it(api_client):
    cap = TariffRate.objects.get(tariff__solar_year=1405, line="third_party", table="no_claim", key="cap")
    cap.value = 60
    cap.save()

    response = api_client.post(
        QUOTES, {"line": "third_party", "params": {"no_claim_years": 14}, "insurers": ["iran"]}, format="json"
    )

    breakdown = {line["code"]: line["amount"] for line in response.json()["quotes"][0]["breakdown"]}
    assert breakdown["no_claim_discount"] == -CAR_4CYL_BASE * 60 // 100


@pytest.mark.django_db
def test_an_existing_database_gets_the_newer_regulation_as_the_figures_source():
    import importlib

    from django.apps import apps

    rows = TariffRate.objects.filter(line="third_party", table="no_claim")
    rows.update(source="seed [003] buying guide")

    importlib.import_module("pricing.migrations.0004_fire_region_and_no_claim_source").load(apps, None)

    assert all("1395 art. 8" in row.source for row in rows.all())


@pytest.mark.django_db
def test_the_quote_page_shows_the_70_percent_discount_after_14_years(client):
    html = client.get("/pricing/third_party/", {"submitted": "1", "no_claim_years": "۱۴"}).content.decode()
    assert "تخفیف عدم خسارت (ت.ع.خ)" in html
    assert "۷٬۳۵۹٬۲۴۰ تومان" in html  # 70% of 105,132,000 rial
