"""One rule, one place (issue 12, deliverable 3): the quote and the recorded policy refuse
through the same function of `pricing.core.limits`. Each test swaps the function for a stub
that refuses everything and sees the quote, the record (and, where the rule applies, the
renewal and the endorsement) all answer with the stub's words: had one path its own copy of
the rule, the stub would not reach it."""

import pytest

from core.exceptions import ApplicationError
from core.jalali import solar_year
from policies import services
from policies.models import Policy
from pricing.core import limits
from pricing.services import ParamsError, quote_compare, validate_params
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db

STUB = "STUB: the one function refused"
CAR = {"car_value": 5_000_000_000, "build_year": solar_year(today()) - 5}
TRIP = {"zone": "schengen", "days": 10, "birth_date": "1370/01/15"}


def refuse_always(*args, **kwargs):
    return STUB


def quote_errors(line: str, params: dict) -> dict:
    with pytest.raises(ParamsError) as quoted:
        validate_params(line, params)
    with pytest.raises(ParamsError) as compared:
        quote_compare(line=line, params=params)
    assert compared.value.errors == quoted.value.errors
    return quoted.value.errors


def record_refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value


@pytest.mark.rule("R-200")
def test_body_year_at_least_is_one_function_for_quote_and_record(agent, customer, monkeypatch):
    assert validate_params("body", CAR)
    monkeypatch.setattr(limits, "body_term", refuse_always)
    assert quote_errors("body", CAR)["duration_days"] == [STUB]
    refused = record_refusal(lambda: record(agent, customer, line="body"))
    assert (refused.field, refused.message) == ("ends_on", STUB)
    assert not Policy.objects.exists()


@pytest.mark.rule("R-201")
def test_body_car_age_is_one_function_for_quote_record_renewal_and_endorsement(agent, customer, monkeypatch):
    policy = record(agent, customer, line="body", starts_on=today() - days(10))
    monkeypatch.setattr(limits, "car_age", refuse_always)
    assert quote_errors("body", CAR)["build_year"] == [STUB]
    refused = record_refusal(lambda: record(agent, customer, line="body", policy_number="B-2"))
    assert (refused.field, refused.message) == ("params.build_year", STUB)
    renewed = record_refusal(
        lambda: services.policy_renew(
            user=agent.user, policy=policy, ends_on=policy.ends_on + days(365), premium=1_000_000, policy_number="R-2"
        )
    )
    assert (renewed.field, renewed.message) == ("params.build_year", STUB)
    moved = record_refusal(
        lambda: services.endorsement_preview(
            policy=policy, changes={"vehicle": {"owner": "insured", "build_year": CAR["build_year"]}}
        )
    )
    assert moved.message == STUB
    assert Policy.objects.count() == 1


@pytest.mark.rule("R-203")
def test_single_trip_length_is_one_function_for_quote_and_record(agent, customer, monkeypatch):
    assert validate_params("travel", TRIP)
    monkeypatch.setattr(limits, "travel_term", refuse_always)
    assert quote_errors("travel", TRIP)["days"] == [STUB]
    refused = record_refusal(lambda: record(agent, customer, line="travel", length=10))
    assert (refused.field, refused.message) == ("ends_on", STUB)
    assert not Policy.objects.exists()


@pytest.mark.rule("R-155")
def test_student_months_are_one_function_for_quote_and_record(agent, customer, monkeypatch):
    student = {**TRIP, "trip_type": "student", "student_months": 6}
    assert validate_params("travel", student)
    monkeypatch.setattr(limits, "travel_term", refuse_always)
    assert quote_errors("travel", student)["student_months"] == [STUB]
    params = {"trip_type": "student", "student_months": 6}
    refused = record_refusal(lambda: record(agent, customer, line="travel", length=180, params=params))
    assert (refused.field, refused.message) == ("ends_on", STUB)
    assert not Policy.objects.exists()
