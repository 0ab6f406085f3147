"""Parameter cleaning: the way Iranians type numbers and dates."""

import datetime as dt

import pytest

from pricing.core import params as p
from pricing.core.engine import line_params
from tests.pricing.factories import TODAY, make_snapshot

MONEY = p.Param("v", "v", p.MONEY, min=0, max=10**13)
COUNT = p.Param("n", "n", p.INTEGER, min=0, max=60)


@pytest.mark.parametrize(
    "raw",
    ["15000000000", "۱۵۰۰۰۰۰۰۰۰۰", "۱۵٬۰۰۰٬۰۰۰٬۰۰۰", "15,000,000,000", " 15 000 000 000 ", 15_000_000_000, 1.5e10],
)
def test_amounts_accept_persian_digits_and_thousands_separators(raw):
    assert p.clean_value(MONEY, raw) == 15_000_000_000


@pytest.mark.parametrize("raw", ["12.5", "abc", 12.5, True, "۱۲ تومان"])
def test_non_integers_are_refused_in_persian(raw):
    with pytest.raises(ValueError, match="عدد صحیح"):
        p.clean_value(MONEY, raw)


def test_negative_amount_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="منفی"):
        p.clean_value(MONEY, "-100")


def test_maximum_is_reported_in_persian_digits():
    with pytest.raises(ValueError, match="۶۰"):
        p.clean_value(COUNT, 61)


def test_money_limits_are_reported_in_toman():
    param = p.Param("v", "v", p.MONEY, min=100_000_000)
    with pytest.raises(ValueError, match="۱۰٬۰۰۰٬۰۰۰ تومان"):
        p.clean_value(param, 5)


@pytest.mark.parametrize("raw", ["1370/01/15", "۱۳۷۰/۰۱/۱۵", "1991-04-04"])
def test_dates_accept_jalali_or_iso(raw):
    assert p.clean_value(p.Param("d", "d", p.DATE), raw) == dt.date(1991, 4, 4)


def test_multi_choice_accepts_a_comma_separated_string_and_drops_duplicates():
    param = p.Param("c", "c", p.MULTI_CHOICE, choices=(p.Choice("a", "A"), p.Choice("b", "B")))
    assert p.clean_value(param, "a,b,a") == ("a", "b")


def test_integer_choices_accept_strings_with_persian_digits():
    param = p.Param("c", "c", p.CHOICE, choices=(p.Choice(30000, "30k"), p.Choice(50000, "50k")))
    assert p.clean_value(param, "۳۰٬۰۰۰") == 30000


def test_unknown_parameters_are_named_in_the_errors():
    _cleaned, errors = p.clean_params(line_params("electronics", make_snapshot(), TODAY), {"colour": "red"})
    assert "colour" in errors


def test_missing_required_parameter_is_reported():
    _cleaned, errors = p.clean_params(line_params("electronics", make_snapshot(), TODAY), {"device_type": "mobile"})
    assert errors == {"device_value": ["این مورد لازم است."]}


def test_left_out_counts_and_amounts_default_to_zero():
    cleaned, errors = p.clean_params(line_params("third_party", make_snapshot(), TODAY), {})
    assert not errors
    assert [cleaned[name] for name in ("no_claim_years", "property_claims", "late_days", "extra_financial_cover")] == [
        0,
        0,
        0,
        0,
    ]
    assert cleaned["duration_days"] == 365


def test_every_parameter_description_is_json_ready():
    import json

    for line in ("third_party", "body", "fire", "travel", "electronics", "other"):
        json.dumps([param.as_dict() for param in line_params(line, make_snapshot(), TODAY)])
