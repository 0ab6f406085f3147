"""Travel (بیمه مسافرتی): zone × day band price, coverage, trip type and age, per traveller.

Order: base = zone/day-band price × the tariff's price index; coverage factor; trip-type
factor (single, multiple = one year from first exit, student 6 or 12 months); age factor
from the birth date on the start date; insurer adjustment; VAT. A single trip covers at
most 92 days.

The zone follows from the destination country (the tariff's `country` table, keyed
`CODE:zone`); `zone` alone is still accepted. Several travellers (a family) are each
priced as one traveller — each is insured under their own policy — and the quote is their
sum, one breakdown line per traveller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.text import to_persian_digits
from insurers.lines import LineCode
from pricing.core import limits
from pricing.core import params as p
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import Draft, percent, settle
from pricing.core.quote import BreakdownLine, Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = LineCode.TRAVEL.value
SINGLE = limits.SINGLE
MULTIPLE = limits.MULTIPLE
STUDENT = limits.STUDENT
YEAR_BAND = 365
HALF_YEAR_BAND = 183
MAX_AGE = 120
MAX_TRAVELLERS = 10


@dataclass(frozen=True)
class Traveller:
    birth_date: dt.date
    age: int


@dataclass(frozen=True)
class TravelInput:
    zone: str
    travellers: tuple[Traveller, ...]
    band_days: int
    coverage: int
    trip_type: str = SINGLE
    days: int | None = None
    student_months: int = 12
    country: str | None = None

    @property
    def birth_date(self) -> dt.date:
        return self.travellers[0].birth_date

    @property
    def age(self) -> int:
        return self.travellers[0].age


def country_zones(tariff: LineTariff) -> dict[str, str]:
    """Destination country code → the zone that prices it, for the countries on offer."""
    zones = {}
    for key, rate in tariff.table("country").items():
        code, _sep, zone = key.partition(":")
        if rate.value:
            zones[code] = zone
    return zones


def _country_choices(tariff: LineTariff) -> tuple[p.Choice, ...]:
    return tuple(
        p.Choice(key.partition(":")[0], rate.label or key)
        for key, rate in tariff.table("country").items()
        if rate.value
    )


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    max_days = limits.travel_single_max_days(tariff)
    coverage_choices = tuple(p.Choice(int(key), rate.label or key) for key, rate in tariff.table("coverage").items())
    birth_date = p.Param("birth_date", _("تاریخ تولد مسافر"), p.DATE, required=True, help=_("مثل ۱۳۷۰/۰۱/۱۵"))
    return (
        p.Param(
            "country",
            _("کشور مقصد"),
            p.CHOICE,
            choices=_country_choices(tariff),
            # Seed [004]: a travel policy is not issued for one country; the border of entry is named.
            help=_("کشوری که نخست وارد آن می‌شوید؛ منطقه تعرفه از آن معلوم می‌شود."),
        ),
        p.Param(
            "zone",
            _("منطقه مقصد"),
            p.CHOICE,
            choices=choices_from(tariff, "zone"),
            help=_("از کشور مقصد معلوم می‌شود؛ اگر هر دو فرستاده شوند باید یکی باشند."),
            superseded_by="country",
        ),
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
        p.Param(
            "travellers",
            _("مسافران"),
            p.LIST,
            min=1,
            max=MAX_TRAVELLERS,
            items=(birth_date,),
            item_label=_("مسافر %(n)s"),
            max_message=_("حداکثر %(max)s مسافر در یک استعلام.") % {"max": to_persian_digits(MAX_TRAVELLERS)},
            help=_("تاریخ تولد هر مسافر؛ حق بیمه هر نفر جدا و به سن خودش حساب و جمع می‌شود."),
        ),
        p.Param(
            "birth_date",
            birth_date.label,
            p.DATE,
            help=_("یک مسافر؛ برای چند مسافر فهرست مسافران را بفرستید."),
            superseded_by="travellers",
        ),
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
    zone = _zone(cleaned, snapshot.line(CODE), errors)
    travellers = _travellers(cleaned, today, errors)
    if errors:
        raise InputError(errors)
    return TravelInput(
        zone=zone,
        travellers=travellers,
        band_days=band_days,
        coverage=cleaned["coverage"],
        trip_type=trip_type,
        days=cleaned["days"],
        student_months=cleaned["student_months"],
        country=cleaned.get("country"),
    )


def _zone(cleaned: dict, tariff: LineTariff, errors: dict[str, list[str]]) -> str:
    """The zone of the destination country; `zone` alone still prices, and both must agree."""
    zone, country = cleaned.get("zone"), cleaned.get("country")
    if not country:
        if not zone:
            errors["country"] = [_("کشور مقصد را انتخاب کنید.")]
        return zone or ""
    country_zone = country_zones(tariff).get(country, "")
    if country_zone not in tariff.table("zone"):
        # A country whose zone staff have withdrawn or mistyped: no price rather than a guess.
        errors["country"] = [_("برای این کشور نرخی در تعرفه ثبت نشده است.")]
        return ""
    if zone and zone != country_zone:
        names = {choice.value: choice.label for choice in _country_choices(tariff)}
        errors["zone"] = [
            _("منطقه «%(zone)s» با کشور مقصد نمی‌خواند: %(country)s در منطقه «%(country_zone)s» است.")
            % {
                "zone": tariff.table("zone")[zone].label if zone in tariff.table("zone") else zone,
                "country": names.get(country, country),
                "country_zone": tariff.table("zone")[country_zone].label,
            }
        ]
    return country_zone


def _birth_date_problem(birth_date: dt.date, today: dt.date) -> str:
    if birth_date > today:
        return _("تاریخ تولد نمی‌تواند در آینده باشد.")
    if age_on(birth_date, today) > MAX_AGE:
        return _("تاریخ تولد درست به نظر نمی‌رسد (بیش از ۱۲۰ سال).")
    return ""


def _travellers(cleaned: dict, today: dt.date, errors: dict[str, list[str]]) -> tuple[Traveller, ...]:
    """Each traveller with their age; a refusal names the traveller («مسافر ۲: …»)."""
    listed, single = cleaned.get("travellers"), cleaned.get("birth_date")
    if listed and single:
        errors["birth_date"] = [_("یا تاریخ تولد یک مسافر را بفرستید یا فهرست مسافران را، نه هر دو.")]
        return ()
    if single:
        problem = _birth_date_problem(single, today)
        if problem:
            errors["birth_date"] = [problem]
        return (Traveller(single, age_on(single, today)),)
    if not listed:
        errors["travellers"] = [_("تاریخ تولد دست‌کم یک مسافر را وارد کنید.")]
        return ()
    problems = []
    for number, entry in enumerate(listed, start=1):
        problem = _birth_date_problem(entry["birth_date"], today)
        if problem:
            problems.append(_("%(traveller)s: %(problem)s") % {"traveller": traveller_name(number), "problem": problem})
    if problems:
        errors["travellers"] = problems
    return tuple(Traveller(entry["birth_date"], age_on(entry["birth_date"], today)) for entry in listed)


def traveller_name(number: int) -> str:
    return _("مسافر %(n)s") % {"n": to_persian_digits(number)}


def traveller_label(number: int, age: int) -> str:
    """«مسافر ۲ (۳۵ ساله)»; a baby under one is «زیر یک سال»."""
    if age < 1:
        return _("%(traveller)s (زیر یک سال)") % {"traveller": traveller_name(number)}
    return _("%(traveller)s (%(age)s ساله)") % {"traveller": traveller_name(number), "age": to_persian_digits(age)}


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
    """One traveller: the detailed breakdown. Several: each priced alone, one line each.

    Each traveller is insured under their own policy, so each premium is settled (rounded)
    on its own and the family's premium is exactly the sum of the single quotes.
    """
    if len(inp.travellers) == 1:
        return _traveller_quote(inp, inp.travellers[0], snapshot, terms)
    singles = [_traveller_quote(inp, traveller, snapshot, terms) for traveller in inp.travellers]
    return Quote(
        insurer=terms.code,
        insurer_name=terms.name,
        premium=sum(single.premium for single in singles),
        breakdown=tuple(
            BreakdownLine(f"traveller_{number}", traveller_label(number, traveller.age), single.premium)
            for number, (traveller, single) in enumerate(zip(inp.travellers, singles, strict=True), start=1)
        ),
    )


def _traveller_quote(inp: TravelInput, traveller: Traveller, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
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
    amount += draft.add("age_adjustment", _("تعدیل سنی"), amount * (_band(tariff.int_bands("age"), traveller.age) - 1))
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
    for code, zone in country_zones(tariff).items():
        if zone not in tariff.table("zone"):
            problems.append(f"travel/country {code} is priced by an unknown zone {zone}")
    return problems
