"""Reads for floating policies: which month is being declared, who has not declared it, and
the final premium computed from the declarations at the end of the period."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import jdatetime
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _

from core.exceptions import NotFoundError
from core.jalali import solar_month_bounds
from declarations.models import FloatingPolicy, StockDeclaration
from policies.models import Policy


@dataclass(frozen=True)
class DeclarationPeriod:
    """The solar month whose stock is declared in the month `today` falls in."""

    year: int
    month: int
    first_day: dt.date
    next_first_day: dt.date
    today_day: int  # day of the current solar month (the deadline is compared with it)


def declaration_period_for(*, today: dt.date) -> DeclarationPeriod:
    jtoday = jdatetime.date.fromgregorian(date=today)
    year, month = (jtoday.year - 1, 12) if jtoday.month == 1 else (jtoday.year, jtoday.month - 1)
    first, following = solar_month_bounds(year, month)
    return DeclarationPeriod(year=year, month=month, first_day=first, next_first_day=following, today_day=jtoday.day)


def declaration_due_date(*, year: int, month: int, due_day: int) -> dt.date:
    """The deadline for month (year, month): `due_day` of the next solar month."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return jdatetime.date(year, month, due_day).togregorian()


def floating_policies_owing(*, period: DeclarationPeriod) -> QuerySet:
    """Floating policies in force during the month with no declaration for it yet."""
    declared = StockDeclaration.objects.filter(floating_policy=OuterRef("pk"), year=period.year, month=period.month)
    return (
        FloatingPolicy.objects.filter(
            policy__status=Policy.Status.ISSUED,
            policy__starts_on__lt=period.next_first_day,
            policy__ends_on__gte=period.first_day,
        )
        .exclude(Exists(declared))
        .select_related("policy__customer", "policy__agent__user", "policy__insurer")
        .order_by("pk")
    )


# --- the final premium (حق‌بیمه قطعی) ---------------------------------------------------------


@dataclass(frozen=True)
class DeclaredMonth:
    """One solar month of the policy's term and the stock that counts for it."""

    year: int
    month: int
    days: int  # days of this month inside the term: a part month weighs less
    stock_value: int
    declared: bool  # False: no letter came, the month counts at the ceiling


@dataclass(frozen=True)
class FinalPremium:
    """The floating policy's premium settled on its declarations [001][004].

    The premium at issue buys the ceiling at issue (`issue_limit`); the final premium is
    that premium scaled by the average declared stock (each month weighted by its days in
    the term), plus any other endorsement's difference. What was charged on account (the
    premium, the additional endorsements of over-limit months, …) is set against it.
    """

    months: tuple[DeclaredMonth, ...]
    issue_limit: int
    average_stock: int
    stock_premium: int
    other_endorsements: int
    final_premium: int
    charged: int

    @property
    def adjustment(self) -> int:
        """Positive: the insured owes it; negative: refunded."""
        return self.final_premium - self.charged

    def as_dict(self) -> dict:
        return {
            "issue_limit": self.issue_limit,
            "average_stock": self.average_stock,
            "stock_premium": self.stock_premium,
            "other_endorsements": self.other_endorsements,
            "final_premium": self.final_premium,
            "charged": self.charged,
            "adjustment": self.adjustment,
            "months": [
                {
                    "year": row.year,
                    "month": row.month,
                    "days": row.days,
                    "stock_value": row.stock_value,
                    "declared": row.declared,
                }
                for row in self.months
            ],
        }


def _rial(amount: Decimal) -> int:
    """The one rounding step of the final premium: half-up to a whole rial."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def term_solar_months(starts_on: dt.date, ends_on: dt.date) -> list[tuple[int, int, int]]:
    """(year, month, days inside [starts_on, ends_on)) for each solar month the term touches."""
    cursor = jdatetime.date.fromgregorian(date=starts_on)
    year, month = cursor.year, cursor.month
    months = []
    while True:
        first, following = solar_month_bounds(year, month)
        if first >= ends_on:
            return months
        days = (min(following, ends_on) - max(first, starts_on)).days
        if days > 0:
            months.append((year, month, days))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def floating_final_premium(floating_policy: FloatingPolicy) -> FinalPremium:
    """The final premium from the declarations: decreases are averaged over the period,
    not refunded month by month ("در پایان دوره معدل گیری شده") [004].

    A month with no declaration counts at the ceiling in force: not declaring never lowers
    the premium. A month above the ceiling counts at its declared value (its excess was
    insured by the additional endorsement issued when it was declared).
    """
    policy = floating_policy.policy
    declarations = {(row.year, row.month): row for row in floating_policy.declarations.all()}
    limits = [row.limit for row in declarations.values() if row.limit]
    issue_limit = min([*limits, floating_policy.max_stock_value])
    months = []
    for year, month, days in term_solar_months(policy.starts_on, policy.ends_on):
        row = declarations.get((year, month))
        months.append(
            DeclaredMonth(
                year=year,
                month=month,
                days=days,
                stock_value=row.stock_value if row is not None else floating_policy.max_stock_value,
                declared=row is not None,
            )
        )
    total_days = sum(row.days for row in months) or 1
    weighted = sum(Decimal(row.stock_value) * row.days for row in months)
    average = weighted / total_days
    stock_premium = _rial(Decimal(policy.premium) * average / issue_limit)
    endorsements = policy.endorsements.all()
    if floating_policy.settlement_id:
        endorsements = endorsements.exclude(pk=floating_policy.settlement_id)
    charged_delta = endorsements.aggregate(total=Sum("premium_delta"))["total"] or 0
    from_declarations = (
        endorsements.filter(stock_declaration__floating_policy=floating_policy).aggregate(total=Sum("premium_delta"))[
            "total"
        ]
        or 0
    )
    other = charged_delta - from_declarations
    return FinalPremium(
        months=tuple(months),
        issue_limit=issue_limit,
        average_stock=_rial(average),
        stock_premium=stock_premium,
        other_endorsements=other,
        final_premium=stock_premium + other,
        charged=policy.premium + charged_delta,
    )


def floating_summary(policy: Policy) -> dict | None:
    """What the policy page shows of a floating policy, or None for any other policy."""
    terms = FloatingPolicy.objects.filter(policy=policy).first()
    if terms is None:
        return None
    return {
        "terms": terms,
        "declarations": list(terms.declarations.select_related("endorsement").order_by("year", "month")),
        "final": floating_final_premium(terms),
    }


def floating_terms_for_policy(*, policy: Policy) -> FloatingPolicy:
    """The floating terms of a policy the caller may see; NotFoundError when it is not floating."""
    terms = FloatingPolicy.objects.select_related("policy__line").filter(policy=policy).first()
    if terms is None:
        raise NotFoundError(_("این بیمه‌نامه شناور نیست."))
    return terms
