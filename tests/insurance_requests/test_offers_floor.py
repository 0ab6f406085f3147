"""The floor of an agent's offer (issue 14 point 1): `pricing.offers.offer_bounds`, pure, on the
reference tariff without the database."""

import pytest

from pricing.core.engine import clean_line_params
from pricing.core.money import PREMIUM_UNIT_RIAL
from pricing.offers import offer_bounds
from tests.pricing.factories import TODAY, amount, make_snapshot, quote_for


def bounds(line, params, *, adjustment=0, overrides=None, unavailable=()):
    snapshot = make_snapshot(
        insurers=(("alpha", "بیمه آلفا", adjustment),), overrides=overrides, unavailable=unavailable
    )
    return offer_bounds(snapshot, line, clean_line_params(line, params, snapshot, TODAY), "alpha", TODAY)


def test_the_tariff_premium_is_the_insurers_own_quote():
    """issue 14 point 1: the offer is prefilled with the quote for that insurer and the request's inputs."""
    assert bounds("fire", {"building_value": 5_000_000_000}, adjustment=5).tariff_premium == (
        quote_for("fire", {"building_value": 5_000_000_000}, adjustment=5).premium
    )


def test_the_floor_is_the_quote_at_the_lowest_insurer_adjustment_the_tariff_allows():
    """issue 14 point 1: fire's bound is −30%: the agent may go as far as the insurer could."""
    params = {"building_value": 5_000_000_000}
    assert bounds("fire", params, adjustment=5).floor_premium == quote_for("fire", params, adjustment=-30).premium


def test_an_insurer_already_at_the_bound_leaves_no_discount():
    """issue 14 point 1: the discount is the tariff's room, not a second one on top of the insurer's."""
    result = bounds("fire", {"building_value": 5_000_000_000}, adjustment=-30)
    assert result.floor_premium == result.tariff_premium


@pytest.mark.rule("R-050")
def test_a_third_party_offer_stops_at_the_central_insurance_minimum_not_at_the_insurer_bound():
    """issue 14 point 1 [R-050]: the bound allows −20% but the minimum is 90% of the tariff premium."""
    params = {"vehicle_group": "car_4cyl"}
    expected = quote_for("third_party", params, adjustment=-10).premium
    assert bounds("third_party", params).floor_premium == expected
    assert expected > quote_for("third_party", params, adjustment=-20, overrides=_NO_MINIMUM).premium


_NO_MINIMUM = {("third_party", "minimum", "percent_of_tariff"): 0}


@pytest.mark.rule("R-051")
def test_the_late_penalty_is_outside_what_an_agent_may_discount():
    """issue 14 point 1 [R-051]: the room for a discount is the same with or without a late penalty,
    and the floor carries the whole penalty."""
    plain = bounds("third_party", {"no_claim_years": 3})
    late = bounds("third_party", {"no_claim_years": 3, "late_days": 100})
    # Premiums are rounded to whole 1,000 rial, each on its own: one unit apart at most.
    assert abs(late.max_discount - plain.max_discount) <= PREMIUM_UNIT_RIAL
    penalty = amount(quote_for("third_party", {"no_claim_years": 3, "late_days": 100}), "late_penalty")
    assert abs(late.floor_premium - plain.floor_premium - penalty) <= PREMIUM_UNIT_RIAL


def test_a_body_offer_keeps_the_tariffs_cap_on_all_discounts_together():
    """issue 14 point 1: with 60% no-claim and a 62% cap, the −15% insurer bound would pass the cap;
    the floor stops at it."""
    params = {"car_value": 10_000_000_000, "build_year": 1403, "no_claim_years": 10}
    floor = bounds("body", params, overrides={_CAP: 62}).floor_premium
    uncapped = quote_for("body", params, adjustment=-15, overrides={_CAP: 100})
    assert floor > uncapped.premium


_CAP = ("body", "discount_cap", "max_total_percent")


def test_other_line_and_an_insurer_that_does_not_sell_the_line_have_no_floor():
    """issue 14 point 1: no tariff price: the agent types the premium."""
    snapshot = make_snapshot()
    assert offer_bounds(snapshot, "other", {}, "alpha", TODAY) is None
    assert bounds("fire", {"building_value": 5_000_000_000}, unavailable=(("alpha", "fire"),)) is None
