"""Pricing test data: an in-memory snapshot for the pure core, model factories for the rest."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import factory

from pricing.core.engine import clean_line_params, quote_line
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, Rate, TariffSnapshot
from pricing.models import InsurerLineTerms, Tariff, TariffRate
from pricing.reference import QUOTABLE_LINES, solar_year_bounds, tariff_rows

TODAY = dt.date(2026, 11, 21)  # 1405/08/30


def make_snapshot(
    *,
    insurers: tuple[tuple[str, str, int | str], ...] = (("alpha", "بیمه آلفا", 0),),
    overrides: dict[tuple[str, str, str], int | str] | None = None,
    year: int = 1405,
    unavailable: tuple[tuple[str, str], ...] = (),
) -> TariffSnapshot:
    """The reference tariff of `year` as a snapshot, without the database.

    `overrides` replaces (or adds) figures: {("body", "discount_cap", "max_total_percent"): 65}.
    Each insurer is (code, name, adjustment %) on every line; `unavailable` lists (code, line).
    """
    overrides = dict(overrides or {})
    by_line: dict[str, list[Rate]] = {}
    for row in tariff_rows(year):
        key = (row["line"], row["table"], row["key"])
        value = Decimal(str(overrides.pop(key))) if key in overrides else row["value"]
        by_line.setdefault(row["line"], []).append(Rate(row["table"], row["key"], value, row["label"]))
    for (line, table, key), value in overrides.items():
        by_line.setdefault(line, []).append(Rate(table, key, Decimal(str(value)), key))
    start, end = solar_year_bounds(year)
    terms = tuple(
        InsurerTerms(code, name, line, Decimal(str(adj)), (code, line) not in unavailable, order)
        for order, (code, name, adj) in enumerate(insurers)
        for line in QUOTABLE_LINES
    )
    return TariffSnapshot(year, start, end, tuple(LineTariff(k, tuple(v)) for k, v in by_line.items()), terms)


def quotes_for(line: str, params: dict, *, snapshot: TariffSnapshot | None = None, today=TODAY) -> list[Quote]:
    snapshot = snapshot or make_snapshot()
    cleaned = clean_line_params(line, params, snapshot, today)
    return quote_line(line, cleaned, snapshot, today)


def quote_for(line: str, params: dict, *, adjustment: int | str = 0, overrides=None, today=TODAY) -> Quote:
    """One insurer's quote with the given adjustment on the reference tariff."""
    snapshot = make_snapshot(insurers=(("alpha", "بیمه آلفا", adjustment),), overrides=overrides)
    return quotes_for(line, params, snapshot=snapshot, today=today)[0]


def amount(quote: Quote, code: str) -> int:
    """A breakdown line's amount (0 when the line is absent)."""
    return sum(line.amount for line in quote.breakdown if line.code == code)


def codes(quote: Quote) -> list[str]:
    return [line.code for line in quote.breakdown]


def to_line_unit(value) -> int:
    """What `settle` does to one line: half-up to 10 rial (one toman)."""
    return int((Decimal(value) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff
        django_get_or_create = ["solar_year"]

    solar_year = 1410
    effective_from = factory.LazyAttribute(lambda o: solar_year_bounds(o.solar_year)[0])
    effective_until = factory.LazyAttribute(lambda o: solar_year_bounds(o.solar_year)[1])


class TariffRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffRate

    tariff = factory.SubFactory(TariffFactory)
    line = "third_party"
    table = "base_premium"
    key = factory.Sequence(lambda n: f"group_{n}")
    value = Decimal(100_000_000)


class InsurerLineTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsurerLineTerms
        django_get_or_create = ["insurer", "line"]

    line = "third_party"
    adjustment_percent = Decimal(0)
