"""Property tests over valid inputs (hypothesis), with strategies built from the parameter
descriptions themselves, so a new parameter is exercised without touching this file."""

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pricing.core import params as p
from pricing.core.engine import QUOTABLE_LINES, clean_line_params, line_params, quote_line
from tests.pricing.factories import TODAY, make_snapshot

SNAPSHOT = make_snapshot(
    insurers=(("cheap", "ارزان", -30), ("plain", "ساده", 0), ("dear", "گران", 30), ("mid", "میانه", "-7.5"))
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value_strategy(param: p.Param):
    if param.type in (p.INTEGER, p.MONEY):
        low = param.min if param.min is not None else 0
        high = param.max if param.max is not None else 10**12
        return st.integers(low, high)
    if param.type == p.CHOICE:
        return st.sampled_from([choice.value for choice in param.choices])
    if param.type == p.MULTI_CHOICE:
        return st.lists(st.sampled_from([choice.value for choice in param.choices]), unique=True).map(tuple)
    if param.type == p.BOOLEAN:
        return st.booleans()
    if param.type == p.DATE:
        if param.name == "birth_date":
            return st.dates(dt.date(1910, 1, 1), TODAY)
        return st.dates(TODAY, TODAY + dt.timedelta(days=365))
    if param.type == p.LIST:
        entry = st.fixed_dictionaries({item.name: _value_strategy(item) for item in param.items})
        return st.lists(entry, min_size=param.min or 0, max_size=param.max or 10).map(tuple)
    return st.text(max_size=20)


@st.composite
def valid_params(draw, line):
    values = {param.name: draw(_value_strategy(param)) for param in line_params(line, SNAPSHOT, TODAY)}
    # The cross-field requirements the description cannot express, as documented:
    if line == "fire":
        assume(values["building_value"] or values["contents_value"] or values["area_m2"])
    if line == "travel" and values["trip_type"] == "single" and values["days"] is None:
        values["days"] = 1
    if line == "travel":
        # The zone follows from the country (sent alone, or agreeing); one birth date or a list.
        values["zone" if draw(st.booleans()) else "country"] = None
        values["birth_date" if draw(st.booleans()) else "travellers"] = None
    if line == "third_party":
        # A no-claim record moves only within the family and between cars of the same usage.
        if values["no_claim_source"] in ("spouse", "other_person"):
            values["no_claim_source"] = "this_car"
        values["no_claim_source_usage"] = values["usage"]
        values["previous_policy_transferred"] = False  # asked before the old car's policy moved to its buyer
    if line == "body" and values["no_claim_source"] not in ("this_car", "own_previous_car", "spouse"):
        values["no_claim_source"] = "this_car"  # a body record moves only from the insured's or spouse's car
    return values


def _quotes(line, params):
    return quote_line(line, clean_line_params(line, params, SNAPSHOT, TODAY), SNAPSHOT, TODAY)


@SETTINGS
@given(data=st.data(), line=st.sampled_from(QUOTABLE_LINES))
def test_no_input_within_the_declared_limits_raises_and_every_breakdown_sums_to_a_positive_premium(data, line):
    params = data.draw(valid_params(line))
    quotes = _quotes(line, params)
    assert len(quotes) == 4
    for quote in quotes:
        assert quote.premium > 0
        assert sum(item.amount for item in quote.breakdown) == quote.premium
        if quote.installments is not None:
            assert sum(item.amount for item in quote.installments) == quote.premium
            assert quote.installments[0].amount * 10 >= 3 * quote.premium
            assert len(quote.installments) <= 9
    assert [q.premium for q in quotes] == sorted(q.premium for q in quotes)


@SETTINGS
@given(data=st.data(), more=st.integers(1, 30))
def test_third_party_more_claim_free_years_never_cost_more(data, more):
    params = data.draw(valid_params("third_party"))
    fewer = _quotes("third_party", params)
    params["no_claim_years"] = min(params["no_claim_years"] + more, 60)
    assert all(b.premium <= a.premium for a, b in zip(fewer, _quotes("third_party", params), strict=True))


@SETTINGS
@given(data=st.data(), more=st.integers(1, 10))
def test_body_more_claim_free_years_never_cost_more(data, more):
    params = data.draw(valid_params("body"))
    fewer = _quotes("body", params)
    params["no_claim_years"] = min(params["no_claim_years"] + more, 60)
    assert all(b.premium <= a.premium for a, b in zip(fewer, _quotes("body", params), strict=True))


@SETTINGS
@given(data=st.data(), days=st.integers(0, 2000), more=st.integers(1, 500))
def test_late_penalty_never_falls_with_more_days_and_stops_at_365(data, days, more):
    params = data.draw(valid_params("third_party")) | {"impounded": False}

    def penalty(late_days):
        quote = _quotes("third_party", params | {"late_days": late_days})[0]
        return sum(item.amount for item in quote.breakdown if item.code == "late_penalty")

    assert penalty(days + more) >= penalty(days)
    assert penalty(max(days, 365) + more) == penalty(365)


def _not_below_pro_rata(annual: int, short: int, days: int) -> bool:
    """Short ≥ annual × days/365, up to each premium's rounding to 1,000 rial (±500)."""
    return (short + 500) * 365 >= (annual - 500) * days


@SETTINGS
@given(data=st.data(), days=st.integers(1, 365))
def test_short_term_third_party_is_never_cheaper_than_pro_rata(data, days):
    params = data.draw(valid_params("third_party")) | {"late_days": 0}
    annual = _quotes("third_party", params | {"duration_days": 365})
    short = _quotes("third_party", params | {"duration_days": days})
    assert all(_not_below_pro_rata(a.premium, s.premium, days) for a, s in zip(annual, short, strict=True))


@SETTINGS
@given(data=st.data(), days=st.integers(1, 365))
def test_short_term_fire_is_never_cheaper_than_pro_rata(data, days):
    params = data.draw(valid_params("fire"))
    annual = _quotes("fire", params | {"duration_days": 365})
    short = _quotes("fire", params | {"duration_days": days})
    assert all(_not_below_pro_rata(a.premium, s.premium, days) for a, s in zip(annual, short, strict=True))
