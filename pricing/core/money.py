"""Exact amounts while calculating, and the one place where they are rounded.

Calculators add breakdown lines to a `Draft` as exact `Decimal`s (rial, any fraction).
`settle` is the only function that rounds:

* the premium is the exact total rounded half-up to `PREMIUM_UNIT_RIAL` (1,000 rial =
  100 toman), so it depends only on the exact total and moves monotonically with it;
* each line is rounded half-up to `LINE_UNIT_RIAL` (10 rial = one toman), so lines shown
  in toman add up on screen;
* a `rounding` line carries the difference, so the breakdown sums exactly to the premium.

Everything is `Decimal` or `int`; a float never holds money.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import jdatetime

from pricing.core.i18n import gettext_cached as _
from pricing.core.quote import BreakdownLine, Installment, Quote

PREMIUM_UNIT_RIAL = 1000
LINE_UNIT_RIAL = 10
HUNDRED = Decimal(100)


def percent(value: Decimal | int) -> Decimal:
    """20 → 0.20, exactly."""
    return Decimal(value) / HUNDRED


def _round_to(amount: Decimal, unit: int) -> int:
    return int((amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * unit


class Draft:
    """Breakdown lines in exact rial before rounding; order is the order of addition."""

    def __init__(self):
        self._lines: list[tuple[str, str, Decimal]] = []

    def add(self, code: str, label: str, amount: Decimal | int, *, keep_zero: bool = False) -> Decimal:
        amount = Decimal(amount)
        if amount or keep_zero:
            self._lines.append((code, label, amount))
        return amount

    @property
    def total(self) -> Decimal:
        return sum((amount for _code, _label, amount in self._lines), Decimal(0))

    def amount(self, code: str) -> Decimal:
        return sum((amount for line_code, _label, amount in self._lines if line_code == code), Decimal(0))

    def lines(self) -> tuple[tuple[str, str, Decimal], ...]:
        return tuple(self._lines)


def settle(
    draft: Draft,
    *,
    insurer: str,
    insurer_name: str,
    inspection_required: bool | None = None,
    installment_plan: InstallmentPlan | None = None,
) -> Quote:
    """Round the draft into a Quote (the single rounding step of the engine)."""
    premium = max(_round_to(draft.total, PREMIUM_UNIT_RIAL), PREMIUM_UNIT_RIAL)
    breakdown = [BreakdownLine(code, label, _round_to(amount, LINE_UNIT_RIAL)) for code, label, amount in draft.lines()]
    difference = premium - sum(line.amount for line in breakdown)
    if difference:
        breakdown.append(BreakdownLine("rounding", _("گرد کردن مبلغ"), difference))
    installments = installment_plan.schedule(premium) if installment_plan else None
    return Quote(
        insurer=insurer,
        insurer_name=insurer_name,
        premium=premium,
        breakdown=tuple(breakdown),
        inspection_required=inspection_required,
        installments=installments,
    )


class InstallmentPlan:
    """A down payment of at least `min_down_percent` and `count` equal instalments, one every
    `spacing_months` solar months (monthly unless an insurer's terms say otherwise).

    Not a second rounding of money: the already-rounded premium is split, instalments are
    whole multiples of 1,000 rial and the down payment takes the remainder, so the
    schedule sums exactly to the premium and the down payment only grows.
    """

    def __init__(self, *, count: int, min_down_percent: Decimal, first_due_on: dt.date, spacing_months: int = 1):
        self.count = count
        self.min_down_percent = min_down_percent
        self.first_due_on = first_due_on
        self.spacing_months = max(int(spacing_months), 1)

    def schedule(self, premium: int) -> tuple[Installment, ...]:
        min_down = int((Decimal(premium) * percent(self.min_down_percent)).to_integral_value(rounding=ROUND_CEILING))
        each = (premium - min_down) // self.count // PREMIUM_UNIT_RIAL * PREMIUM_UNIT_RIAL if self.count else 0
        if each <= 0:
            return (Installment(self.first_due_on, premium),)
        down = premium - each * self.count
        rest = [
            Installment(add_solar_months(self.first_due_on, n * self.spacing_months), each)
            for n in range(1, self.count + 1)
        ]
        return (Installment(self.first_due_on, down), *rest)


def add_solar_months(date: dt.date, months: int) -> dt.date:
    """The same day `months` solar months later, clamped to the month's last day (31 → 30)."""
    jalali = jdatetime.date.fromgregorian(date=date)
    index = jalali.month - 1 + months
    year, month = jalali.year + index // 12, index % 12 + 1
    day = jalali.day
    while True:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError:
            day -= 1


def short_term_percent(bands: tuple[tuple[int, Decimal], ...], days: int) -> Decimal:
    """The short-term scale: percent of the annual premium for a cover of `days` (≤ 365)."""
    for upper_days, pct in bands:
        if days <= upper_days:
            return pct
    return HUNDRED
