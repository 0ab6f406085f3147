"""The payout estimator: one test per rule, and properties over any input."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.payout import PayoutInput, deductible_percent, estimate_payout


def pay(**kwargs) -> int:
    base = {"line": "fire", "loss": 100_000_000, "sum_insured": 1_000_000_000, "actual_value": 1_000_000_000}
    base.update(kwargs)
    return estimate_payout(PayoutInput(**base)).payout


@pytest.mark.rule("R-143")
def test_fire_main_risks_have_no_deductible():
    assert pay(cause="fire") == 100_000_000


@pytest.mark.rule("R-143")
def test_fire_additional_risks_have_a_10_percent_deductible():
    assert pay(cause="additional_risk") == 90_000_000


def test_body_first_partial_loss_10_percent():
    assert deductible_percent(PayoutInput("body", 1, 1, 1, cause="partial")) == 10


def test_body_later_partial_losses_20_percent():
    # a partial loss: repair at most 75% of the sum insured (above that the assessment makes it total)
    assert deductible_percent(PayoutInput("body", 1, 100, 100, cause="partial", previous_claims=1)) == 20


def test_body_young_or_new_driver_adds_10_percent():
    assert deductible_percent(PayoutInput("body", 1, 100, 100, cause="partial", young_or_new_driver=True)) == 20


def test_body_total_loss_10_percent():
    assert deductible_percent(PayoutInput("body", 1, 1, 1, cause="total_loss")) == 10


def test_body_theft_20_percent():
    assert deductible_percent(PayoutInput("body", 1, 1, 1, cause="theft")) == 20


@pytest.mark.rule("R-097")
def test_electronics_depreciate_2_percent_a_month():
    result = pay(line="electronics", loss=10_000_000, months_in_use=5, electronics_deductible_percent=Decimal(0))
    assert result == 9_000_000


@pytest.mark.rule("R-095")
def test_electronics_deductible_from_the_tariff_setting():
    result = pay(line="electronics", loss=10_000_000, electronics_deductible_percent=Decimal(10))
    assert result == 9_000_000


@pytest.mark.rule("R-095")
def test_electronics_capped_by_the_invoice():
    result = pay(line="electronics", loss=10_000_000, invoice_value=7_000_000, electronics_deductible_percent=0)
    assert result == 7_000_000


@pytest.mark.rule("R-098")
def test_electronics_unpaid_instalments_are_deducted():
    result = pay(line="electronics", loss=10_000_000, outstanding_balance=1_000_000, electronics_deductible_percent=0)
    assert result == 9_000_000


@pytest.mark.rule("R-144")
def test_salvage_is_deducted():
    assert pay(cause="fire", salvage=20_000_000) == 80_000_000


@pytest.mark.rule("R-145")
def test_depreciation_is_deducted():
    assert pay(cause="fire", depreciation=10_000_000) == 90_000_000


@pytest.mark.rule("R-128")
def test_proportional_rule_when_under_insured():
    assert pay(cause="fire", sum_insured=500_000_000, actual_value=1_000_000_000) == 50_000_000


def test_over_insurance_never_pays_more_than_the_actual_value():
    assert pay(cause="fire", loss=900_000_000, sum_insured=2_000_000_000, actual_value=600_000_000) == 600_000_000


@pytest.mark.rule("R-151")
def test_capped_by_the_sum_insured():
    assert pay(cause="fire", loss=2_000_000_000) == 1_000_000_000


@pytest.mark.rule("R-152")
def test_proportional_premium_rule_when_instalments_are_unpaid():
    assert pay(cause="fire", premium_due=10_000_000, premium_paid=5_000_000) == 50_000_000


def test_the_breakdown_sums_exactly_to_the_payout():
    estimate = estimate_payout(
        PayoutInput("body", 123_456_789, 1_000_000_000, 1_500_000_000, cause="partial", salvage=1_234_567)
    )
    assert sum(line.amount for line in estimate.lines) == estimate.payout


money = st.integers(min_value=0, max_value=10**13)


@settings(max_examples=300, deadline=None)
@given(
    line=st.sampled_from(["fire", "body", "third_party", "travel", "electronics", "other"]),
    cause=st.sampled_from(["fire", "additional_risk", "partial", "total_loss", "theft", "breakage", ""]),
    loss=money,
    sum_insured=money,
    actual_value=money,
    salvage=money,
    depreciation=money,
    months=st.integers(min_value=0, max_value=200),
    invoice=st.one_of(st.none(), money),
    previous=st.integers(min_value=0, max_value=5),
    young=st.booleans(),
    due=money,
    paid=money,
    outstanding=money,
)
def test_a_payout_is_never_negative_nor_above_the_sum_insured_or_the_actual_value(
    line, cause, loss, sum_insured, actual_value, salvage, depreciation, months, invoice, previous, young, due, paid,
    outstanding,
):  # fmt: skip
    estimate = estimate_payout(
        PayoutInput(
            line=line,
            loss=loss,
            sum_insured=sum_insured,
            actual_value=actual_value,
            cause=cause,
            salvage=salvage,
            depreciation=depreciation,
            months_in_use=months,
            invoice_value=invoice,
            previous_claims=previous,
            young_or_new_driver=young,
            premium_due=due,
            premium_paid=paid,
            outstanding_balance=outstanding,
        )
    )
    assert estimate.payout >= 0
    assert estimate.payout <= sum_insured
    assert estimate.payout <= actual_value
    assert estimate.payout <= loss
    assert sum(line.amount for line in estimate.lines) == estimate.payout


@settings(max_examples=200, deadline=None)
@given(loss=money, extra=st.integers(min_value=0, max_value=10**12), sum_insured=money, actual=money)
def test_a_bigger_loss_never_pays_less(loss, extra, sum_insured, actual):
    small = pay(cause="additional_risk", loss=loss, sum_insured=sum_insured, actual_value=actual)
    big = pay(cause="additional_risk", loss=loss + extra, sum_insured=sum_insured, actual_value=actual)
    assert big >= small
