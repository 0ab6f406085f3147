"""Rounding in one place, exact breakdowns, instalment schedules."""

import datetime as dt
from decimal import Decimal

import jdatetime

from pricing.core.money import Draft, InstallmentPlan, add_solar_months, settle, short_term_percent
from tests.pricing.factories import make_snapshot


def test_premium_is_the_exact_total_rounded_half_up_to_1000_rial():
    draft = Draft()
    draft.add("a", "a", Decimal("1234499.5"))
    assert settle(draft, insurer="x", insurer_name="x").premium == 1_234_000


def test_breakdown_lines_are_whole_toman_and_a_rounding_line_makes_them_sum_to_the_premium():
    draft = Draft()
    draft.add("a", "a", Decimal("1000004.6"))
    draft.add("b", "b", Decimal("333.3"))
    quote = settle(draft, insurer="x", insurer_name="x")
    assert [line.amount for line in quote.breakdown] == [1_000_000, 330, -330]
    assert sum(line.amount for line in quote.breakdown) == quote.premium == 1_000_000


def test_no_rounding_line_when_lines_already_sum_to_the_premium():
    draft = Draft()
    draft.add("a", "a", 5_000_000)
    assert [line.code for line in settle(draft, insurer="x", insurer_name="x").breakdown] == ["a"]


def test_installment_plan_keeps_down_payment_at_least_30_percent_and_sums_exactly():
    schedule = InstallmentPlan(count=8, min_down_percent=Decimal(30), first_due_on=dt.date(2026, 11, 21)).schedule(
        10_001_000
    )
    assert schedule[0].amount >= 3_000_300
    assert sum(i.amount for i in schedule) == 10_001_000
    assert len({i.amount for i in schedule[1:]}) == 1


def test_installment_plan_for_a_tiny_premium_is_a_single_payment():
    schedule = InstallmentPlan(count=8, min_down_percent=Decimal(30), first_due_on=dt.date(2026, 11, 21)).schedule(
        5_000
    )
    assert [i.amount for i in schedule] == [5_000]


def test_adding_a_solar_month_clamps_the_31st_to_a_30_day_month():
    start = jdatetime.date(1405, 6, 31).togregorian()
    assert jdatetime.date.fromgregorian(date=add_solar_months(start, 1)) == jdatetime.date(1405, 7, 30)


def test_adding_solar_months_crosses_the_year():
    start = jdatetime.date(1405, 11, 15).togregorian()
    assert jdatetime.date.fromgregorian(date=add_solar_months(start, 3)) == jdatetime.date(1406, 2, 15)


def test_short_term_scale_is_never_below_pro_rata():
    bands = make_snapshot().general.int_bands("short_term")
    assert all(short_term_percent(bands, days) * 365 >= 100 * days for days in range(1, 366))
