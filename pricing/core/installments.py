"""Which lines an insurer sells in instalments, on what terms, and the schedule they give.

One place for the quote, an agent's offer and the policy's schedule (issue 14 point 4), so
the three never disagree. Fire has the regulation's 30% down and at most 8 monthly
instalments [001]; other lines are sold in instalments only where the tariff data says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.core.money import InstallmentPlan
from pricing.core.quote import Installment
from pricing.core.tariff import TariffSnapshot


@dataclass(frozen=True)
class InstallmentTerms:
    """At least `min_down_percent` down, then at most `max_count` instalments `spacing_months` apart."""

    min_down_percent: Decimal
    max_count: int
    spacing_months: int = 1


def installment_terms(snapshot: TariffSnapshot, line_code: str, insurer_code: str) -> InstallmentTerms | None:
    """The insurer's instalment terms for the line, or None when it sells the line for cash only."""
    if line_code == "fire":
        tariff = snapshot.line("fire")
        return InstallmentTerms(
            min_down_percent=tariff.value("installments", "min_down_percent"),
            max_count=int(tariff.value("installments", "max_count")),
        )
    return None


def installment_schedule(
    terms: InstallmentTerms, *, premium: int, first_due_on: dt.date, count: int | None = None
) -> tuple[Installment, ...]:
    """The down payment on `first_due_on`, then `count` (default: the most allowed) instalments."""
    plan = InstallmentPlan(
        count=terms.max_count if count is None else count,
        min_down_percent=terms.min_down_percent,
        first_due_on=first_due_on,
    )
    return plan.schedule(premium)
