"""Third-party liability rules (SPEC §5, seeds [003][004], TARIFFS.md)."""

from decimal import Decimal

import pytest

from pricing.core.errors import InputError
from tests.pricing.factories import amount, codes, quote_for, to_line_unit

CAR_4CYL_BASE = 105_132_000
CAR_4CYL_DRIVER = 14_700_000


def tp(adjustment=0, overrides=None, **params):
    return quote_for("third_party", params, adjustment=adjustment, overrides=overrides)


def no_claim_pct(quote, tariff_premium=CAR_4CYL_BASE):
    return Decimal(-amount(quote, "no_claim_discount")) / tariff_premium * 100


@pytest.mark.rule("R-062")
def test_base_premium_is_the_vehicle_groups_tariff_figure():
    assert amount(tp(vehicle_group="car_4cyl"), "base_premium") == CAR_4CYL_BASE


@pytest.mark.rule("R-062")
@pytest.mark.parametrize(
    ("group", "base"),
    [
        ("pride_peykan", 89_440_000),
        ("car_lt4cyl", 75_522_000),
        ("car_gt4cyl", 117_665_000),
        ("motorcycle_1cyl", 22_907_000),
    ],
)
def test_base_premium_differs_by_vehicle_group(group, base):
    assert amount(tp(vehicle_group=group), "base_premium") == base


def test_vehicle_group_defaults_to_car_4cyl():
    assert amount(tp(), "base_premium") == CAR_4CYL_BASE


@pytest.mark.rule("R-121")
def test_car_value_is_not_a_third_party_parameter():
    with pytest.raises(InputError) as exc:
        tp(car_value=10_000_000_000)
    assert "car_value" in exc.value.errors


def test_no_claim_discount_is_5_percent_per_claim_free_year():
    assert amount(tp(no_claim_years=3), "no_claim_discount") == -15_769_800  # 15% of 105,132,000


def test_no_claim_discount_reaches_the_70_percent_cap_after_14_years():
    assert no_claim_pct(tp(no_claim_years=14)) == 70


def test_no_claim_discount_stays_at_the_cap_beyond_14_years():
    assert amount(tp(no_claim_years=30), "no_claim_discount") == amount(tp(no_claim_years=14), "no_claim_discount")


def test_no_claim_cap_comes_from_the_tariff_data():
    # The seed's old table stopped at 45%; a tariff with that cap must be obeyed.
    quote = tp(no_claim_years=14, overrides={("third_party", "no_claim", "cap"): 45})
    assert no_claim_pct(quote) == 45


@pytest.mark.rule("R-083")
@pytest.mark.parametrize(("claims", "expected_pct"), [(1, 30), (2, 20), (3, 10), (5, 10)])
def test_property_claims_cut_the_discount_by_20_30_40_points(claims, expected_pct):
    # 10 claim-free years = 50%; one property claim → 30%, two → 20%, three or more → 10%.
    assert no_claim_pct(tp(no_claim_years=10, property_claims=claims)) == expected_pct


@pytest.mark.parametrize(("claims", "expected_pct"), [(1, 40), (2, 0), (3, 0)])
def test_bodily_claims_cut_the_discount_by_30_70_100_points(claims, expected_pct):
    # 14 claim-free years = 70%; one bodily claim → 40%, two → 0%, three → 0%.
    assert no_claim_pct(tp(no_claim_years=14, bodily_claims=claims)) == expected_pct


def test_claim_reductions_floor_at_zero_and_never_become_a_surcharge():
    quote = tp(no_claim_years=2, bodily_claims=3)
    assert "no_claim_discount" not in codes(quote)
    assert quote.premium == tp().premium


def test_property_and_bodily_reductions_add_up():
    # 70% − 20 (one property claim) − 30 (one bodily claim) = 20%.
    assert no_claim_pct(tp(no_claim_years=14, property_claims=1, bodily_claims=1)) == 20


@pytest.mark.rule("R-064")
def test_taxi_usage_loads_the_base_by_20_percent():
    assert amount(tp(usage="taxi"), "usage_loading") == 21_026_400


@pytest.mark.rule("R-065")
def test_driving_school_usage_loads_the_base_by_15_percent():
    assert amount(tp(usage="driving_school"), "usage_loading") == to_line_unit(CAR_4CYL_BASE * Decimal("0.15"))


def test_personal_usage_has_no_loading():
    assert "usage_loading" not in codes(tp(usage="personal"))


@pytest.mark.rule("R-066")
def test_late_penalty_is_the_annual_tariff_premium_per_uncovered_day():
    assert amount(tp(late_days=73), "late_penalty") == 21_026_400  # 73/365 = 1/5 of 105,132,000


@pytest.mark.rule("R-067")
def test_late_penalty_stops_at_365_days():
    assert amount(tp(late_days=1000), "late_penalty") == amount(tp(late_days=365), "late_penalty") == CAR_4CYL_BASE


@pytest.mark.rule("R-072")
def test_late_penalty_is_never_discounted_by_no_claim_or_insurer():
    plain = amount(tp(late_days=100), "late_penalty")
    discounted = amount(tp(adjustment=-20, late_days=100, no_claim_years=14), "late_penalty")
    assert discounted == plain


def test_late_penalty_is_not_shortened_with_a_short_term_policy():
    assert amount(tp(late_days=100, duration_days=30), "late_penalty") == amount(tp(late_days=100), "late_penalty")


@pytest.mark.rule("R-079")
def test_late_penalty_is_waived_when_the_car_was_impounded_at_expiry():
    assert "late_penalty" not in codes(tp(late_days=200, impounded=True))


def test_late_penalty_carries_no_vat():
    assert amount(tp(late_days=200), "vat") == amount(tp(), "vat")


@pytest.mark.rule("R-068")
def test_extra_financial_cover_adds_its_tariff_amount():
    assert amount(tp(extra_financial_cover=1_000_000_000), "extra_financial_cover") == 3_538_960  # 3,538,955


@pytest.mark.rule("R-063")
def test_statutory_minimum_financial_cover_costs_nothing_extra():
    assert "extra_financial_cover" not in codes(tp(extra_financial_cover=0))


@pytest.mark.rule("R-068")
def test_extra_financial_cover_must_be_a_tariff_step():
    with pytest.raises(InputError) as exc:
        tp(extra_financial_cover=1_234)
    assert "extra_financial_cover" in exc.value.errors


@pytest.mark.rule("R-060")
def test_driver_accident_cover_is_added_for_a_car():
    assert amount(tp(), "driver_accident") == CAR_4CYL_DRIVER


@pytest.mark.rule("R-060")
def test_driver_accident_cover_for_a_motorcycle_is_its_own_figure():
    assert amount(tp(vehicle_group="motorcycle_2cyl"), "driver_accident") == 7_770_000


@pytest.mark.rule("R-071")
def test_short_term_90_days_costs_40_percent_of_the_annual_premium():
    annual = CAR_4CYL_BASE + CAR_4CYL_DRIVER
    assert amount(tp(duration_days=90), "short_term_adjustment") == -annual * 60 // 100


@pytest.mark.rule("R-071")
def test_short_term_three_months_costs_more_than_a_quarter_of_a_year():
    assert tp(duration_days=90).premium > tp(duration_days=365).premium / 4


def test_a_full_year_has_no_short_term_line():
    assert "short_term_adjustment" not in codes(tp(duration_days=365))


@pytest.mark.rule("R-070")
@pytest.mark.parametrize("days", [0, 366])
def test_duration_must_be_between_1_and_365_days(days):
    with pytest.raises(InputError) as exc:
        tp(duration_days=days)
    assert "duration_days" in exc.value.errors


def test_vat_is_10_percent_of_the_premium_before_tax():
    quote = tp()
    assert amount(quote, "vat") == (CAR_4CYL_BASE + CAR_4CYL_DRIVER) // 10


def test_insurer_discount_within_bounds_is_applied():
    assert amount(tp(adjustment=-5), "insurer_adjustment") == -CAR_4CYL_BASE * 5 // 100


@pytest.mark.rule("R-069")
def test_insurer_discount_never_takes_the_premium_below_the_central_insurance_minimum():
    # Bounds allow −20%, but the minimum is 90% of the tariff premium: the discount stops at −10%.
    assert amount(tp(adjustment=-20), "insurer_adjustment") == -CAR_4CYL_BASE * 10 // 100


def test_insurer_loading_is_held_to_the_central_insurance_bound():
    assert amount(tp(adjustment=50), "insurer_adjustment") == CAR_4CYL_BASE * 10 // 100


def test_insurer_discount_applies_after_the_no_claim_discount():
    liability = CAR_4CYL_BASE * 50 // 100
    assert amount(tp(adjustment=-5, no_claim_years=10), "insurer_adjustment") == -liability * 5 // 100
