"""Travel (بیمه مسافرتی): zone × day band price, coverage, trip type and age.

Order: base = zone/day-band price × the tariff's price index; coverage factor; trip-type
factor (single, multiple = one year from first exit, student 6 or 12 months); age factor
from the birth date on the start date; insurer adjustment; VAT. A single trip covers at
most 92 days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.core import limits
from pricing.core import params as p
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import Draft, percent, settle
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = "travel"
SINGLE = limits.SINGLE
MULTIPLE = limits.MULTIPLE
STUDENT = limits.STUDENT
YEAR_BAND = 365
HALF_YEAR_BAND = 183
MAX_AGE = 120


@dataclass(frozen=True)
class TravelInput:
    zone: str
    birth_date: dt.date
    age: int
    band_days: int
    coverage: int
    trip_type: str = SINGLE
    days: int | None = None
    student_months: int = 12


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    max_days = limits.travel_single_max_days(tariff)
    coverage_choices = tuple(p.Choice(int(key), rate.label or key) for key, rate in tariff.table("coverage").items())
    return (
        p.Param("zone", _("منطقه مقصد"), p.CHOICE, required=True, choices=choices_from(tariff, "zone")),
        p.Param(
            "trip_type",
            _("نوع بیمه‌نامه"),
            p.CHOICE,
            default=SINGLE,
            choices=choices_from(tariff, "trip_type"),
            help=_("چندسفره یک سال از نخستین خروج اعتبار دارد؛ دانشجویی شش یا دوازده ماه."),
        ),
        p.Param(
            "days",
            _("مدت سفر (روز)"),
            p.INTEGER,
            default=None,
            min=1,
            # The limit is the one a recorded policy is held to (pricing.core.limits).
            max=max_days,
            unit="day",
            max_message=limits.travel_single_too_long_message(max_days),
            help=_("برای بیمه‌نامه تک‌سفره لازم است."),
        ),
        p.Param(
            "student_months",
            _("مدت بیمه دانشجویی (ماه)"),
            p.CHOICE,
            default=12,
            choices=(p.Choice(6, _("شش ماه")), p.Choice(12, _("دوازده ماه"))),
        ),
        p.Param("birth_date", _("تاریخ تولد مسافر"), p.DATE, required=True, help=_("مثل ۱۳۷۰/۰۱/۱۵")),
        p.Param(
            "coverage",
            _("سقف تعهد"),
            p.CHOICE,
            default=_default_coverage(tariff),
            choices=coverage_choices,
        ),
    )


def _default_coverage(tariff: LineTariff) -> int:
    """The €50,000 plan most embassies ask for, else the first plan of the tariff."""
    keys = [int(key) for key in tariff.table("coverage")]
    return 50_000 if 50_000 in keys else (keys[0] if keys else 0)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def build_input(cleaned: dict, snapshot: TariffSnapshot, today) -> TravelInput:
    errors: dict[str, list[str]] = {}
    trip_type = cleaned["trip_type"]
    if trip_type == SINGLE:
        if cleaned["days"] is None:
            errors["days"] = [_("مدت سفر را برای بیمه‌نامه تک‌سفره وارد کنید.")]
        else:
            # The 92 days of a single trip: the function a recorded policy is held to.
            too_long = limits.travel_term(SINGLE, days=cleaned["days"], tariff=snapshot.line(CODE))
            if too_long:
                errors["days"] = [too_long]
        band_days = cleaned["days"] or 0
    elif trip_type == STUDENT:
        # Six or twelve months, by the same function as a recorded policy (days are its own).
        months_problem = limits.travel_term(
            STUDENT, days=0, tariff=snapshot.line(CODE), student_months=cleaned["student_months"]
        )
        if months_problem:
            errors["student_months"] = [months_problem]
        band_days = HALF_YEAR_BAND if cleaned["student_months"] == 6 else YEAR_BAND
    else:
        band_days = YEAR_BAND
    birth_date = cleaned["birth_date"]
    age = age_on(birth_date, today)
    if birth_date > today:
        errors["birth_date"] = [_("تاریخ تولد نمی‌تواند در آینده باشد.")]
    elif age > MAX_AGE:
        errors["birth_date"] = [_("تاریخ تولد درست به نظر نمی‌رسد (بیش از ۱۲۰ سال).")]
    if errors:
        raise InputError(errors)
    return TravelInput(age=age, band_days=band_days, **cleaned)


def _band(bands: tuple[tuple[int, Decimal], ...], value: int) -> Decimal:
    for upper, factor in bands:
        if value <= upper:
            return factor
    return bands[-1][1]


def _price(tariff: LineTariff, zone: str, band_days: int) -> Decimal:
    uppers = sorted(int(key.split(":")[1]) for key in tariff.table("price") if key.split(":")[0] == zone)
    upper = next(u for u in uppers if band_days <= u)
    return tariff.value("price", f"{zone}:{upper}")


def quote(inp: TravelInput, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
    tariff = snapshot.line(CODE)
    draft = Draft()
    base = draft.add(
        "base_premium",
        _("حق بیمه پایه (منطقه و مدت سفر)"),
        _price(tariff, inp.zone, inp.band_days) * tariff.value("price_index", "value"),
        keep_zero=True,
    )
    amount = base
    amount += draft.add(
        "coverage_adjustment", _("تعدیل سقف تعهد"), amount * (tariff.value("coverage", str(inp.coverage)) - 1)
    )
    amount += draft.add(
        "trip_type_adjustment", _("تعدیل نوع بیمه‌نامه"), amount * (tariff.value("trip_type", inp.trip_type) - 1)
    )
    amount += draft.add("age_adjustment", _("تعدیل سنی"), amount * (_band(tariff.int_bands("age"), inp.age) - 1))
    add_insurer_adjustment(draft, amount * percent(insurer_percent(tariff, terms)))
    add_vat(draft, draft.total, snapshot)
    return settle(draft, insurer=terms.code, insurer_name=terms.name)


def validate_tariff(tariff: LineTariff) -> list[str]:
    problems = []
    for zone in tariff.table("zone"):
        uppers = {int(key.split(":")[1]) for key in tariff.table("price") if key.split(":")[0] == zone}
        if not uppers or max(uppers) < YEAR_BAND:
            problems.append(f"travel/price has no one-year band for {zone}")
        if limits.travel_single_max_days(tariff) > max(uppers or {0}):
            problems.append(f"travel/price does not reach the single-trip maximum for {zone}")
    for table in ("age", "coverage", "trip_type"):
        if not tariff.table(table):
            problems.append(f"travel/{table} is empty")
    return problems
