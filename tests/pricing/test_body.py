"""Car body rules (SPEC §5, seeds [003][004])."""

import pytest

from pricing.core.errors import InputError
from tests.pricing.factories import amount, codes, quote_for

VALUE = 10_000_000_000  # 1 billion toman
BASE = 200_000_000  # 2% of VALUE


def body(adjustment=0, overrides=None, **params):
    params.setdefault("car_value", VALUE)
    params.setdefault("build_year", 1400)
    return quote_for("body", params, adjustment=adjustment, overrides=overrides)


@pytest.mark.rule("R-101")
def test_body_premium_is_a_rate_on_the_cars_value():
    assert amount(body(), "base_premium") == BASE


@pytest.mark.rule("R-101")
def test_body_premium_grows_with_the_cars_value():
    assert amount(body(car_value=2 * VALUE), "base_premium") == 2 * BASE


@pytest.mark.rule("R-101")
@pytest.mark.parametrize(("usage", "loading"), [("taxi", 50), ("rental", 50), ("agency", 40), ("driving_school", 40)])
def test_body_rate_is_loaded_by_usage(usage, loading):
    assert amount(body(usage=usage), "usage_loading") == BASE * loading // 100


@pytest.mark.rule("R-102")
@pytest.mark.parametrize(("years", "pct"), [(0, 0), (1, 25), (2, 35), (3, 45), (4, 60), (9, 60)])
def test_body_no_claim_discount_is_25_35_45_then_60_percent(years, pct):
    assert amount(body(no_claim_years=years), "no_claim_discount") == -BASE * pct // 100


@pytest.mark.rule("R-131")
def test_body_car_up_to_10_years_old_has_no_age_loading():
    assert "age_loading" not in codes(body(build_year=1395))  # 1405 − 1395 = 10


@pytest.mark.rule("R-131")
def test_body_adds_5_percent_per_year_above_10_years_of_age():
    assert amount(body(build_year=1390), "age_loading") == BASE * 25 // 100  # 15 years → +25%


@pytest.mark.rule("R-131")
def test_body_car_exactly_20_years_old_is_still_insurable():
    assert amount(body(build_year=1385), "age_loading") == BASE * 50 // 100


def test_body_refuses_a_car_over_20_years_old():
    with pytest.raises(InputError) as exc:
        body(build_year=1383)  # 22 years old in 1405
    assert "۲۰ سال" in exc.value.errors["build_year"][0]


def test_body_age_is_counted_in_solar_years_from_the_build_year():
    # On 1406/01/10 a 1385 car is 21: refused, while on 1405/08/30 it was accepted.
    import datetime as dt

    from tests.pricing.factories import quotes_for

    with pytest.raises(InputError):
        quotes_for("body", {"car_value": VALUE, "build_year": 1385}, today=dt.date(2027, 3, 30))


@pytest.mark.parametrize(
    ("cover", "pct"),
    [("glass", 5), ("parts_theft", 10), ("natural_disasters", 5), ("chemicals", 5), ("transit", 5)],
)
@pytest.mark.rule("R-123", "R-100")
def test_body_optional_cover_costs_its_percentage_of_the_base(cover, pct):
    assert amount(body(covers=[cover]), f"cover_{cover}") == BASE * pct // 100


@pytest.mark.parametrize(("level", "pct"), [(25, 15), (50, 25), (100, 40)])
@pytest.mark.rule("R-123")
def test_body_price_fluctuation_cover_is_priced_by_its_level(level, pct):
    quote = body(covers=["price_fluctuation"], price_fluctuation_level=level)
    assert amount(quote, "cover_price_fluctuation") == BASE * pct // 100


def test_body_unknown_cover_is_refused():
    with pytest.raises(InputError) as exc:
        body(covers=["moon_landing"])
    assert "covers" in exc.value.errors


def test_body_is_never_sold_for_less_than_a_year():
    with pytest.raises(InputError) as exc:
        body(duration_days=180)
    assert exc.value.errors["duration_days"] == ["بیمه بدنه کمتر از یک سال صادر نمی‌شود."]


def test_body_all_discounts_together_stay_within_the_cap():
    # 60% no-claim plus a 15% insurer discount would be 66% off; a 65% cap stops it there.
    quote = body(adjustment=-15, no_claim_years=4, overrides={("body", "discount_cap", "max_total_percent"): 65})
    assert amount(quote, "no_claim_discount") + amount(quote, "insurer_adjustment") == -BASE * 65 // 100


def test_body_insurer_discount_applies_after_the_no_claim_discount():
    assert amount(body(adjustment=-10, no_claim_years=1), "insurer_adjustment") == -BASE * 75 // 100 // 10


def test_body_vat_is_10_percent():
    assert amount(body(), "vat") == BASE // 10
