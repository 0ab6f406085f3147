"""The line limits as pure functions (pricing.core.limits) and the quote reading them: the
same figures and words a recorded policy is held to (tests/policies/test_rule_limits.py)."""

import datetime as dt

import pytest

from core.jalali import solar_year
from pricing.core import limits
from pricing.core.lines import body, travel
from pricing.selectors import tariff_snapshot
from pricing.services import ParamsError, validate_params

pytestmark = pytest.mark.django_db

D = dt.date(2026, 5, 1)


@pytest.fixture
def snapshot():
    return tariff_snapshot()


def refused(line, params) -> dict:
    with pytest.raises(ParamsError) as exc:
        validate_params(line, params)
    return exc.value.errors


@pytest.mark.rule("R-200")
def test_body_term_rule_refuses_less_than_a_year():
    assert limits.body_term(364) == limits.body_term_message()
    assert limits.body_term(365) is None


@pytest.mark.rule("R-200")
def test_the_body_quote_refuses_180_days_with_the_rules_words():
    errors = refused("body", {"car_value": 5_000_000_000, "build_year": 1400, "duration_days": 180})
    assert errors["duration_days"] == [limits.body_term_message()]


@pytest.mark.rule("R-201")
def test_car_age_rule_accepts_20_years_and_refuses_21(snapshot):
    tariff = snapshot.line("body")
    assert limits.car_age("body", build_year=1385, this_solar_year=1405, tariff=tariff) is None
    assert limits.car_age("body", build_year=1384, this_solar_year=1405, tariff=tariff) == limits.car_too_old_message(
        tariff
    )


@pytest.mark.rule("R-201")
def test_the_body_quote_bounds_the_build_year_by_the_rule(snapshot):
    today = D
    build_year = next(param for param in body.parameters(snapshot, today) if param.name == "build_year")
    assert build_year.min == limits.body_oldest_build_year(snapshot.line("body"), solar_year(today))
    assert build_year.min_message == limits.car_too_old_message(snapshot.line("body"))


@pytest.mark.rule("R-203")
def test_single_trip_rule_is_92_days_from_the_tariff(snapshot):
    tariff = snapshot.line("travel")
    assert limits.travel_single_max_days(tariff) == 92
    assert limits.travel_term("single", days=92, tariff=tariff) is None
    assert "۹۲ روز" in limits.travel_term("single", days=93, tariff=tariff)


@pytest.mark.rule("R-203")
def test_the_travel_quote_bounds_the_days_by_the_rule(snapshot):
    days = next(param for param in travel.parameters(snapshot, D) if param.name == "days")
    assert days.max == limits.travel_single_max_days(snapshot.line("travel"))
    errors = refused("travel", {"zone": "schengen", "days": 93, "birth_date": "1370/01/15"})
    assert errors["days"] == [limits.travel_single_too_long_message(92)]


@pytest.mark.rule("R-204")
def test_multiple_trip_rule_is_one_year_from_the_first_exit(snapshot):
    tariff = snapshot.line("travel")
    assert limits.travel_term("multiple", days=200, tariff=tariff) is None
    assert limits.travel_term("multiple", days=366, tariff=tariff) is None  # a year across a leap day
    assert limits.travel_term("multiple", days=367, tariff=tariff) is not None


@pytest.mark.rule("R-155")
def test_student_rule_is_six_or_twelve_months(snapshot):
    tariff = snapshot.line("travel")
    assert limits.travel_term("student", days=186, tariff=tariff, student_months=6) is None
    assert limits.travel_term("student", days=187, tariff=tariff, student_months=6) is not None
    assert limits.travel_term("student", days=300, tariff=tariff, student_months=12) is None
    assert limits.travel_term("student", days=100, tariff=tariff, student_months=9) is not None


@pytest.mark.rule("R-205")
def test_travel_starts_at_the_exit_never_before_the_purchase():
    assert limits.travel_starts_at_exit(bought_on=D, starts_on=D) is None
    assert limits.travel_starts_at_exit(bought_on=D, starts_on=D + dt.timedelta(days=9)) is None
    assert limits.travel_starts_at_exit(bought_on=D, starts_on=D - dt.timedelta(days=1)) is not None


@pytest.mark.rule("R-206")
def test_only_travel_is_not_renewable():
    assert limits.renewal("travel") is not None
    assert all(limits.renewal(line) is None for line in ("third_party", "body", "fire", "electronics"))


@pytest.mark.rule("R-207")
def test_a_body_policy_moves_to_a_car_of_the_insured_or_spouse_only():
    assert limits.car_transfer("body", owner="insured") is None
    assert limits.car_transfer("body", owner="spouse") is None
    assert limits.car_transfer("body", owner="other") is not None


@pytest.mark.rule("R-208")
def test_a_body_policy_is_not_handed_to_another_person_third_party_is():
    assert limits.owner_transfer("body") is not None
    assert limits.owner_transfer("third_party") is None


@pytest.mark.rule("R-091")
def test_electronics_runs_one_solar_year():
    assert limits.electronics_term(365) is None
    assert limits.electronics_term(366) is None
    assert limits.electronics_term(180) is not None
    assert limits.electronics_term(400) is not None
