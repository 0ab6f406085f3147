"""The immutable tariff snapshot the calculators read.

A snapshot is every rate of one solar year's tariff plus each insurer's terms, copied out
of the database once and cached. Calculators get it as a value: they cannot change it
and never see a model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Rate:
    """One figure of a tariff table: `third_party / base_premium / car_4cyl = 105132000`."""

    table: str
    key: str
    value: Decimal
    label: str = ""
    is_assumption: bool = False


@dataclass(frozen=True)
class LineTariff:
    """The rates of one line (or of `general`), indexed by table and key."""

    line: str
    rates: tuple[Rate, ...]
    _index: MappingProxyType = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        index: dict[str, dict[str, Rate]] = {}
        for rate in self.rates:
            index.setdefault(rate.table, {})[rate.key] = rate
        frozen = MappingProxyType({table: MappingProxyType(rows) for table, rows in index.items()})
        object.__setattr__(self, "_index", frozen)

    def __reduce__(self):
        # The read-only index cannot be pickled; the cache stores the rates and rebuilds it.
        return (LineTariff, (self.line, self.rates))

    def has_table(self, table: str) -> bool:
        return table in self._index

    def table(self, table: str) -> MappingProxyType:
        """Key → Rate of one table, in the tariff's order; empty when absent."""
        return self._index.get(table, MappingProxyType({}))

    def value(self, table: str, key: str) -> Decimal:
        return self._index[table][key].value

    def get(self, table: str, key: str, default: Decimal | None = None) -> Decimal | None:
        rate = self._index.get(table, {}).get(key)
        return default if rate is None else rate.value

    def int_bands(self, table: str) -> tuple[tuple[int, Decimal], ...]:
        """A table keyed by integer upper bounds (days, ages), sorted ascending."""
        return tuple(sorted((int(key), rate.value) for key, rate in self.table(table).items()))


@dataclass(frozen=True, slots=True)
class InsurerTerms:
    """An insurer as the calculators see it for one line: offered or not, and its adjustment.

    `adjustment_percent` is negative for a discount and positive for a loading; the
    calculators clamp it to the Central Insurance bounds of the line's tariff.
    """

    code: str
    name: str
    line: str
    adjustment_percent: Decimal = Decimal(0)
    is_available: bool = True
    order: int = 0


@dataclass(frozen=True, slots=True)
class CarSpec:
    """A car of the catalogue as the calculators see it: what its make and model imply."""

    code: str
    make: str
    name: str
    third_party_group: str
    body_engine_class: str = ""  # empty: the body tariff does not price this vehicle
    kind: str = "car"
    cylinders: int = 4


@dataclass(frozen=True)
class TariffSnapshot:
    solar_year: int
    effective_from: dt.date
    effective_until: dt.date
    lines: tuple[LineTariff, ...]
    insurers: tuple[InsurerTerms, ...]
    cars: tuple[CarSpec, ...] = ()

    def car(self, code: str) -> CarSpec | None:
        for car in self.cars:
            if car.code == code:
                return car
        return None

    def line(self, code: str) -> LineTariff:
        for line_tariff in self.lines:
            if line_tariff.line == code:
                return line_tariff
        return LineTariff(code, ())

    @property
    def general(self) -> LineTariff:
        return self.line("general")

    def insurers_for(self, line: str) -> tuple[InsurerTerms, ...]:
        return tuple(terms for terms in self.insurers if terms.line == line and terms.is_available)
