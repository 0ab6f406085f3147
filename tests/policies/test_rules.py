"""One test per rule of the source documents, over the pure functions of `policies.rules`."""

import datetime as dt
from decimal import Decimal

import pytest

from policies import rules
from policies.rules import ScheduledPayment as Row

D = dt.date(2025, 3, 21)  # 1404/01/01
YEAR_LATER = dt.date(2026, 3, 21)
# The reference short-term scale (pricing owns it; tests pin the shape they rely on).
BANDS = tuple(
    (days, Decimal(pct))
    for days, pct in (
        (5, 5),
        (15, 10),
        (30, 20),
        (60, 30),
        (90, 40),
        (120, 50),
        (150, 60),
        (180, 70),
        (270, 85),
        (365, 100),
    )
)


@pytest.mark.rule("R-016")
def test_cover_runs_from_24h_of_the_first_day_to_24h_of_the_last_day():
    window = rules.cover_window("fire", D, YEAR_LATER)
    assert window.first_day == D + dt.timedelta(days=1)
    assert window.last_day == YEAR_LATER


@pytest.mark.rule("R-075")
def test_third_party_cover_runs_from_00h_of_the_start_until_00h_of_the_expiry_day():
    window = rules.cover_window("third_party", D, YEAR_LATER)
    assert window.first_day == D
    assert window.last_day == YEAR_LATER - dt.timedelta(days=1)


@pytest.mark.rule("R-074")
def test_third_party_starts_at_the_earliest_the_day_after_purchase():
    assert rules.earliest_third_party_start(D) == D + dt.timedelta(days=1)


def test_travel_cover_starts_on_the_exit_date():
    assert rules.cover_window("travel", D, D + dt.timedelta(days=30)).first_day == D


@pytest.mark.rule("R-146")
def test_down_payment_of_at_least_30_percent():
    assert rules.installment_problems(1000, [Row(D, 299), Row(D + dt.timedelta(days=30), 701)])
    assert not rules.installment_problems(1000, [Row(D, 300), Row(D + dt.timedelta(days=30), 700)])


@pytest.mark.rule("R-147")
def test_at_most_eight_instalments_after_the_down_payment():
    nine = [Row(D, 100)] + [Row(D + dt.timedelta(days=30 * n), 100) for n in range(1, 10)]
    assert rules.installment_problems(1000, nine)


def test_instalments_sum_exactly_to_the_premium():
    assert rules.installment_problems(1000, [Row(D, 500), Row(D + dt.timedelta(days=30), 499)])


def test_instalment_due_dates_in_order():
    assert rules.installment_problems(1000, [Row(D, 500), Row(D, 500)])


def _quote(**kwargs):
    base = {
        "line": "fire",
        "by": "insured",
        "kind": "cancellation",
        "reason": "",
        "total_premium": 10_000_000,
        "paid": 10_000_000,
        "starts_on": D,
        "ends_on": YEAR_LATER,
        "on": D + dt.timedelta(days=90),
        "bands": BANDS,
    }
    base.update(kwargs)
    return rules.cancellation_quote(**base)


@pytest.mark.rule("R-134")
def test_cancellation_by_the_insured_keeps_the_short_term_premium_for_the_elapsed_time():
    quote = _quote()
    assert quote.kept == 4_000_000  # 90 days → 40% of the annual premium
    assert quote.refund == 6_000_000


@pytest.mark.rule("R-140")
def test_cancellation_by_the_insurer_is_pro_rata():
    quote = _quote(by="insurer")
    assert quote.kept == round(10_000_000 * 90 / 365)
    assert quote.refund == 10_000_000 - quote.kept


@pytest.mark.rule("R-134", "R-140")
def test_the_insurer_keeps_more_with_the_short_term_table_than_pro_rata():
    assert _quote().kept > _quote(by="insurer").kept


@pytest.mark.rule("R-142")
def test_annulment_refunds_everything():
    assert _quote(kind="annulment", on=D).refund == 10_000_000


@pytest.mark.rule("R-158")
def test_travel_visa_refused_keeps_10_percent():
    quote = _quote(line="travel", kind="annulment", reason="visa_refused", ends_on=D + dt.timedelta(days=30))
    assert quote.kept == 1_000_000


@pytest.mark.rule("R-158")
def test_travel_trip_cancelled_before_visa_keeps_10_percent():
    quote = _quote(line="travel", kind="annulment", reason="trip_cancelled_before_visa")
    assert quote.kept == 1_000_000


@pytest.mark.rule("R-159")
def test_travel_after_visa_expiry_keeps_20_percent():
    quote = _quote(line="travel", kind="annulment", reason="visa_expired")
    assert quote.kept == 2_000_000


@pytest.mark.rule("R-159")
def test_travel_annulment_after_a_visa_waits_for_its_expiry():
    problems = rules.cancellation_problems(
        line="travel",
        by="insured",
        kind="annulment",
        reason="visa_expired",
        starts_on=D,
        ends_on=D + dt.timedelta(days=30),
        on=D,
        visa_expires_on=D + dt.timedelta(days=10),
        has_claims=False,
    )
    assert "on" in problems


@pytest.mark.rule("R-158")
def test_travel_visa_refusal_only_before_the_trip_starts():
    problems = rules.cancellation_problems(
        line="travel",
        by="insured",
        kind="annulment",
        reason="visa_refused",
        starts_on=D,
        ends_on=D + dt.timedelta(days=30),
        on=D + dt.timedelta(days=3),
        visa_expires_on=None,
        has_claims=False,
    )
    assert "on" in problems


@pytest.mark.rule("R-157")
def test_travel_is_not_cancelled_by_the_short_term_table():
    problems = rules.cancellation_problems(
        line="travel",
        by="insured",
        kind="cancellation",
        reason="",
        starts_on=D,
        ends_on=D + dt.timedelta(days=30),
        on=D,
        visa_expires_on=None,
        has_claims=False,
    )
    assert "reason" in problems


@pytest.mark.rule("R-141")
def test_the_insured_cannot_annul_once_cover_started():
    problems = rules.cancellation_problems(
        line="fire",
        by="insured",
        kind="annulment",
        reason="",
        starts_on=D,
        ends_on=YEAR_LATER,
        on=D + dt.timedelta(days=10),
        visa_expires_on=None,
        has_claims=False,
    )
    assert "kind" in problems


def test_unpaid_premium_becomes_a_debt_not_a_refund():
    quote = _quote(paid=3_000_000)
    assert quote.refund == 0
    assert quote.outstanding == 1_000_000


@pytest.mark.rule("R-134")
def test_a_short_policy_cancelled_on_its_last_day_keeps_all_of_it():
    kept, _pct = rules.short_term_kept(4_000_000, elapsed=90, term=90, bands=BANDS)
    assert kept == 4_000_000


def test_endorsement_difference_is_for_the_remaining_period_only():
    quote = rules.endorsement_premium_delta(
        premium=10_000_000,
        starts_on=D,
        ends_on=YEAR_LATER,
        effective_on=D + dt.timedelta(days=182),
        old_sum_insured=1_000_000_000,
        new_sum_insured=2_000_000_000,
    )
    assert quote.remaining_days == 183
    assert quote.premium_delta == round(10_000_000 * 183 / 365)
    assert quote.kind == "additional"


@pytest.mark.rule("R-027")
def test_a_lower_sum_insured_is_a_refund_endorsement():
    quote = rules.endorsement_premium_delta(
        premium=10_000_000,
        starts_on=D,
        ends_on=YEAR_LATER,
        effective_on=D,
        old_sum_insured=1_000_000_000,
        new_sum_insured=500_000_000,
    )
    assert quote.kind == "refund"


def test_equal_increase_and_decrease_has_no_financial_effect():
    quote = rules.endorsement_premium_delta(
        premium=10_000_000,
        starts_on=D,
        ends_on=YEAR_LATER,
        effective_on=D,
        old_sum_insured=1_000_000_000,
        new_sum_insured=1_000_000_000,
    )
    assert quote.kind == "no_financial_effect"


def test_new_inspection_for_pipe_burst_rain_snow_theft_landslide_well_collapse_and_avalanche():
    for cover in ("pipe_burst", "rain_snow", "theft", "landslide", "well_collapse", "avalanche"):
        assert rules.needs_reinspection([], [cover]), cover
    assert not rules.needs_reinspection([], ["earthquake"])
    assert not rules.needs_reinspection(["theft"], ["theft"])


@pytest.mark.rule("R-031")
def test_renewal_invitation_a_month_before_expiry():
    assert rules.renewal_notice_due("fire", D, D - dt.timedelta(days=30))
    assert not rules.renewal_notice_due("fire", D, D - dt.timedelta(days=31))


@pytest.mark.rule("R-076")
def test_third_party_renewal_invitation_a_week_before():
    assert rules.renewal_notice_kind("third_party") == "week_before"
    assert not rules.renewal_notice_due("third_party", D, D - dt.timedelta(days=8))
    assert rules.renewal_notice_due("third_party", D, D - dt.timedelta(days=7))


@pytest.mark.rule("R-033")
def test_reinspection_when_two_years_have_passed_since_issue():
    assert rules.reinspection_due(D, D + dt.timedelta(days=730))
    assert not rules.reinspection_due(D, D + dt.timedelta(days=729))
