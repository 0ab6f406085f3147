"""Electronics rules (SPEC §5, seed [003])."""

from decimal import Decimal

import pytest

from pricing.core.errors import InputError
from pricing.core.lines.electronics import parameters
from tests.pricing.factories import TODAY, amount, make_snapshot, quote_for

VALUE = 400_000_000


@pytest.mark.parametrize(
    ("device", "rate"),
    [("mobile", "6.5"), ("tablet", "5"), ("laptop", "2.5"), ("console", "1.5"), ("smartwatch", "6"), ("desktop", "1")],
)
def test_electronics_premium_is_an_annual_rate_on_the_value_by_device_type(device, rate):
    quote = quote_for("electronics", {"device_type": device, "device_value": VALUE})
    assert amount(quote, "base_premium") == int(VALUE * Decimal(rate) / 100)


@pytest.mark.rule("R-089")
def test_electronics_offers_the_six_device_types_of_the_seed():
    device_param = parameters(make_snapshot(), TODAY)[0]
    assert {choice.value for choice in device_param.choices} == {
        "mobile",
        "tablet",
        "laptop",
        "console",
        "smartwatch",
        "desktop",
    }


def test_electronics_negative_value_is_refused_in_persian():
    with pytest.raises(InputError) as exc:
        quote_for("electronics", {"device_type": "mobile", "device_value": -1})
    assert exc.value.errors["device_value"] == ["مقدار منفی پذیرفته نیست."]


def test_electronics_value_below_the_tariff_minimum_is_refused():
    with pytest.raises(InputError) as exc:
        quote_for("electronics", {"device_type": "mobile", "device_value": 1_000})
    assert "device_value" in exc.value.errors
