"""Travel rules (SPEC §5, seeds [003][004])."""

import pytest

from pricing.core.errors import InputError
from tests.pricing.factories import amount, quote_for

INDEX = 35  # the tariff's price index on the published (older) prices
ADULT = "1370/01/15"


def travel(adjustment=0, overrides=None, **params):
    params.setdefault("zone", "schengen")
    params.setdefault("birth_date", ADULT)
    if params.get("trip_type", "single") == "single":
        params.setdefault("days", 10)
    return quote_for("travel", params, adjustment=adjustment, overrides=overrides)


@pytest.mark.parametrize(("zone", "price"), [("schengen", 821_000), ("usa_canada", 1_232_000), ("world", 862_000)])
@pytest.mark.rule("R-156", "R-085")
def test_travel_price_depends_on_the_zone(zone, price):
    assert amount(travel(zone=zone), "base_premium") == price * INDEX


@pytest.mark.rule("R-085")
@pytest.mark.parametrize(
    ("days", "price"), [(1, 421_000), (7, 421_000), (8, 821_000), (31, 1_015_000), (62, 1_771_000), (92, 2_538_000)]
)
def test_travel_price_follows_the_day_bands(days, price):
    assert amount(travel(days=days), "base_premium") == price * INDEX


def test_travel_single_trip_is_at_most_92_days():
    with pytest.raises(InputError) as exc:
        travel(days=93)
    assert "۹۲ روز" in exc.value.errors["days"][0]


def test_travel_single_trip_needs_its_days():
    with pytest.raises(InputError) as exc:
        quote_for("travel", {"zone": "schengen", "birth_date": ADULT})
    assert "days" in exc.value.errors


def test_travel_multiple_trip_is_priced_for_one_year():
    assert amount(travel(trip_type="multiple"), "base_premium") == 7_992_000 * INDEX


def test_travel_multiple_trip_ignores_the_days_of_one_trip():
    assert travel(trip_type="multiple", days=5).premium == travel(trip_type="multiple").premium


@pytest.mark.parametrize(("months", "price"), [(6, 4_720_000), (12, 7_992_000)])
@pytest.mark.rule("R-155")
def test_travel_student_cover_is_six_or_twelve_months(months, price):
    assert amount(travel(trip_type="student", student_months=months), "base_premium") == price * INDEX


@pytest.mark.parametrize(
    ("birth_date", "factor"),
    [
        ("2016-01-01", "0.5"),  # 10 years old
        ("1370/01/15", "1"),  # 35
        ("1957-01-01", "1.5"),  # 69
        ("1952-06-01", "2"),  # 74
        ("1948-01-01", "3"),  # 78
        ("1940-01-01", "4"),  # 86
    ],
)
@pytest.mark.rule("R-154", "R-085")
def test_travel_age_band_from_birth_date_scales_the_price(birth_date, factor):
    from decimal import Decimal

    quote = travel(birth_date=birth_date)
    base = amount(quote, "base_premium")
    assert base + amount(quote, "age_adjustment") == int(base * Decimal(factor))


def test_travel_age_is_counted_on_the_start_date():
    # Born 1960-11-22: still 65 on 2026-11-21, so no senior factor yet.
    assert amount(travel(birth_date="1960-11-22"), "age_adjustment") == 0


@pytest.mark.rule("R-085")
def test_travel_coverage_30000_euros_costs_90_percent_of_50000():
    quote = travel(coverage=30000)
    assert amount(quote, "coverage_adjustment") == -amount(quote, "base_premium") // 10


def test_travel_birth_date_in_the_future_is_refused():
    with pytest.raises(InputError) as exc:
        travel(birth_date="1406/01/01")
    assert "birth_date" in exc.value.errors


def test_travel_unknown_zone_is_refused():
    with pytest.raises(InputError) as exc:
        travel(zone="mars")
    assert "zone" in exc.value.errors
