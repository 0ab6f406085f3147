"""Which lines an insurer sells in instalments, on what terms, and the schedule they give.

One place for the quote, an agent's offer and the policy's schedule (issue 14 point 4), so
the three never disagree. Fire has the regulation's 30% down and at most 8 monthly
instalments [001]; other lines are sold in instalments only where the tariff data says so.

Body and third party carry each insurer's plan in three tariff tables of the line, keyed by
the insurer's code (so the plans are versioned with the solar year and edited in the admin
like any other figure): `installment_down_percent`, `installment_count` (0 or no row: cash
only) and `installment_spacing_months`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.core import params as p
from pricing.core.i18n import gettext_cached as _
from pricing.core.money import InstallmentPlan
from pricing.core.quote import Installment
from pricing.core.tariff import TariffSnapshot

PER_INSURER_LINES = ("body", "third_party")
DOWN_PERCENT_TABLE = "installment_down_percent"
COUNT_TABLE = "installment_count"
SPACING_TABLE = "installment_spacing_months"
PER_INSURER_TABLES = (DOWN_PERCENT_TABLE, COUNT_TABLE, SPACING_TABLE)
CASH = "cash"
INSTALLMENTS = "installments"


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
    if line_code in PER_INSURER_LINES:
        tariff = snapshot.line(line_code)
        count = int(tariff.get(COUNT_TABLE, insurer_code, Decimal(0)))
        down = tariff.get(DOWN_PERCENT_TABLE, insurer_code)
        if count <= 0 or down is None:
            return None
        return InstallmentTerms(
            min_down_percent=down,
            max_count=count,
            spacing_months=max(int(tariff.get(SPACING_TABLE, insurer_code, Decimal(1))), 1),
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
        spacing_months=terms.spacing_months,
    )
    return plan.schedule(premium)


def payment_param() -> p.Param:
    """How the customer pays (body and third party): the quote shows each insurer's schedule."""
    return p.Param(
        "payment",
        _("نحوه پرداخت"),
        p.CHOICE,
        default=CASH,
        choices=(p.Choice(CASH, _("نقدی")), p.Choice(INSTALLMENTS, _("اقساطی"))),
        help=_("اقساط فقط برای بیمه‌گرانی نشان داده می‌شود که این رشته را قسطی می‌فروشند."),
    )


def insurer_plan(
    snapshot: TariffSnapshot, line_code: str, insurer_code: str, *, first_due_on: dt.date
) -> InstallmentPlan | None:
    """The insurer's longest plan for the line (None: it sells the line for cash only)."""
    terms = installment_terms(snapshot, line_code, insurer_code)
    if terms is None:
        return None
    return InstallmentPlan(
        count=terms.max_count,
        min_down_percent=terms.min_down_percent,
        first_due_on=first_due_on,
        spacing_months=terms.spacing_months,
    )
