"""Reads for floating policies: which month is being declared, and who has not declared it."""

import datetime as dt
from dataclasses import dataclass

import jdatetime
from django.db.models import Exists, OuterRef, QuerySet

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
