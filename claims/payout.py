"""The payout estimator: loss → what the insurer pays, line by line.

Order [004][003]: loss − depreciation − salvage − deductible, then the proportional rule
when under-insured (sum insured / actual value), then the caps (sum insured, actual value,
the invoice for electronics), then the unpaid premium: the proportional premium rule
(paid / due by the loss date) — or, for electronics, the unpaid balance deducted [003].

Every step floors the running amount to a whole rial, and each breakdown line is the
difference between two running amounts, so the lines sum exactly to the payout and the
payout can never exceed a cap because of rounding. Integers and Decimal only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from claims import rules

HUNDRED = Decimal(100)
# [003] electronics: depreciation 2% a month, in every case.
ELECTRONICS_DEPRECIATION_PERCENT_PER_MONTH = Decimal(2)


@dataclass(frozen=True)
class PayoutInput:
    line: str
    loss: int
    sum_insured: int
    actual_value: int
    cause: str = ""
    salvage: int = 0
    # The assessor's depreciation in rial (lines other than electronics).
    depreciation: int = 0
    # Electronics: full months since purchase, for the 2%-a-month depreciation.
    months_in_use: int = 0
    # Electronics: the purchase invoice also caps the payout [003].
    invoice_value: int | None = None
    # Body: claims already paid in this period (the first partial loss is 10%, later 20%).
    previous_claims: int = 0
    # Body: the driver was under 25 or licensed under 3 years on the day [004].
    young_or_new_driver: bool = False
    electronics_deductible_percent: Decimal = Decimal(10)
    # Premium due and paid by the day of the loss (instalment policies).
    premium_due: int = 0
    premium_paid: int = 0
    # Electronics: unpaid instalments are deducted from the payout [003].
    outstanding_balance: int = 0
    # Fire: what this policy has already paid; each payment uses up the sum insured [001].
    previously_paid: int = 0
    # Electronics: the part of the loss on accessories and consumables, not covered [003].
    accessories_loss: int = 0
    # Third party: the third added to a death's diyeh in the sacred months [004].
    haram_month_increase: int = 0
    # Body: the deductible-removal cover was in force on the day of the loss [004].
    deductible_removed: bool = False
    # Fire: what the insured spent to stop the loss from spreading (Art. 11) [004].
    mitigation_cost: int = 0
    # Fire: debris removal (پاکسازی و برداشت ضایعات), paid only with its cover, up to the
    # amount the policy states for it (None: no separate amount, the sum insured bounds it) [004].
    debris_removal_cost: int = 0
    debris_removal_limit: int | None = None
    # Fire: the insured's share of fault (safety recommendations ignored, Art. 27) [004], percent.
    insured_fault_percent: int = 0


@dataclass(frozen=True)
class PayoutLine:
    code: str
    label: str
    amount: int


@dataclass(frozen=True)
class PayoutEstimate:
    payout: int
    deductible_percent: Decimal
    lines: tuple[PayoutLine, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "payout": self.payout,
            "deductible_percent": format(self.deductible_percent.normalize(), "f"),
            "breakdown": [{"code": line.code, "label": line.label, "amount": line.amount} for line in self.lines],
        }


def deductible_percent(inp: PayoutInput) -> Decimal:
    """The deductible (فرانشیز) of a claim, as a percent of the loss [004][003]."""
    if inp.line == rules.BODY:
        if inp.deductible_removed:
            return Decimal(0)
        if inp.cause in rules.BODY_THEFT_CAUSES:
            return Decimal(20)
        # The assessed repair cost decides a total loss, not the cause the customer picked.
        if rules.is_total_loss(repair_cost=inp.loss, sum_insured=inp.sum_insured):
            return Decimal(10)
        base = Decimal(10) if inp.previous_claims == 0 else Decimal(20)
        return base + (Decimal(10) if inp.young_or_new_driver else Decimal(0))
    if inp.line == rules.FIRE:
        # None on the main risks (fire, lightning, explosion); 10% on additional risks.
        return Decimal(0) if inp.cause in rules.FIRE_MAIN_CAUSES else Decimal(10)
    if inp.line == rules.ELECTRONICS:
        return Decimal(inp.electronics_deductible_percent)
    return Decimal(0)


def _floor(amount: Decimal) -> int:
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def estimate_payout(inp: PayoutInput) -> PayoutEstimate:
    lines: list[PayoutLine] = []
    running = max(int(inp.loss), 0)
    lines.append(PayoutLine("loss", _("مبلغ خسارت برآوردشده"), running))
    if inp.line == rules.THIRD_PARTY and inp.haram_month_increase > 0:
        increase = int(inp.haram_month_increase)
        lines.append(PayoutLine("haram_month", _("افزایش یک‌سوم دیه (حادثه و فوت در ماه‌های حرام)"), increase))
        running += increase

    def step(code: str, label: str, new_amount: int) -> None:
        nonlocal running
        new_amount = max(min(new_amount, running), 0)
        if new_amount != running:
            lines.append(PayoutLine(code, label, new_amount - running))
        running = new_amount

    if inp.line == rules.ELECTRONICS and inp.accessories_loss:
        step("accessories", str(rules.ELECTRONICS_ACCESSORIES_LABEL), running - max(int(inp.accessories_loss), 0))
    if inp.line == rules.ELECTRONICS:
        pct = min(ELECTRONICS_DEPRECIATION_PERCENT_PER_MONTH * max(inp.months_in_use, 0), HUNDRED)
        step(
            "depreciation",
            _("استهلاک (۲٪ در ماه)"),
            _floor(Decimal(running) * (HUNDRED - pct) / HUNDRED),
        )
    elif inp.depreciation:
        step("depreciation", _("استهلاک"), running - max(int(inp.depreciation), 0))
    if inp.salvage:
        step("salvage", _("ارزش بازیافت (سالم‌مانده)"), running - max(int(inp.salvage), 0))

    ded = deductible_percent(inp)
    if ded:
        step("deductible", _("فرانشیز"), _floor(Decimal(running) * (HUNDRED - ded) / HUNDRED))

    sum_insured = max(int(inp.sum_insured), 0)
    actual_value = max(int(inp.actual_value), 0)
    if 0 < sum_insured < actual_value:
        step(
            "proportional_rule",
            _("قاعده نسبی سرمایه (کم‌بیمگی)"),
            _floor(Decimal(running) * sum_insured / actual_value),
        )
    fault = min(max(int(inp.insured_fault_percent), 0), 100) if inp.line == rules.FIRE else 0
    if fault:
        step(
            "insured_fault",
            _("کاهش به نسبت تقصیر بیمه‌گذار (ماده ۲۷)"),
            _floor(Decimal(running) * (HUNDRED - fault) / HUNDRED),
        )
    cap = min(sum_insured, actual_value)
    if inp.line == rules.FIRE and inp.previously_paid:
        # [001] the payable is computed with the previous payments: the insurer's
        # commitment for the period is the sum insured, less what was already paid.
        cap = min(cap, max(sum_insured - max(int(inp.previously_paid), 0), 0))
    if inp.line == rules.ELECTRONICS and inp.invoice_value is not None:
        cap = min(cap, max(int(inp.invoice_value), 0))
    step("cap", _("سقف تعهد (سرمایه بیمه‌شده یا ارزش واقعی)"), cap)

    if inp.line == rules.FIRE and inp.mitigation_cost > 0:
        # [004] Art. 11: the cost of stopping the loss from spreading is paid on top of the loss,
        # but everything paid stays within the sum insured (less what the period already paid).
        room = max(sum_insured - max(int(inp.previously_paid), 0) - running, 0)
        added = min(int(inp.mitigation_cost), room)
        if added:
            lines.append(PayoutLine("mitigation", _("هزینه جلوگیری از توسعه خسارت (ماده ۱۱)"), added))
            running += added
    if inp.line == rules.FIRE and inp.debris_removal_cost > 0:
        room = max(sum_insured - max(int(inp.previously_paid), 0) - running, 0)
        added = min(int(inp.debris_removal_cost), room)
        if inp.debris_removal_limit is not None:
            added = min(added, max(int(inp.debris_removal_limit), 0))
        if added:
            lines.append(PayoutLine("debris_removal", _("هزینه پاکسازی و برداشت ضایعات"), added))
            running += added

    if inp.line == rules.ELECTRONICS:
        if inp.outstanding_balance:
            step("outstanding_premium", _("کسر اقساط پرداخت‌نشده"), running - max(int(inp.outstanding_balance), 0))
    elif inp.premium_due > 0 and inp.premium_paid < inp.premium_due:
        paid = max(int(inp.premium_paid), 0)
        step(
            "premium_rule",
            _("قاعده نسبی حق‌بیمه (اقساط پرداخت‌نشده)"),
            _floor(Decimal(running) * paid / int(inp.premium_due)),
        )
    return PayoutEstimate(payout=running, deductible_percent=ded, lines=tuple(lines))
