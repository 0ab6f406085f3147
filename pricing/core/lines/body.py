"""Car body (بیمه بدنه): a rate on the car's value, never for less than a year.

Order: base = value × base rate × engine-class factor; usage loading; the driver's
negative-points loading; age loading (+5%/year above 10 years);
optional covers as percentages of the base; no-claim discount (25/35/45/60%) and the
insurer's adjustment on the whole; together the discounts never exceed the tariff's cap
(70%); VAT.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.jalali import solar_year
from insurers.lines import LineCode
from pricing.core import limits
from pricing.core import params as p
from pricing.core.cars import car_params, derive_from_car
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.installments import CASH, INSTALLMENTS, insurer_plan, payment_param
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import Draft, percent, settle
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = LineCode.BODY.value
DAYS_IN_YEAR = 365
PRICE_FLUCTUATION = "price_fluctuation"
DEFAULT_ENGINE_CLASS = "cyl_4"

# Where the claim-free years come from. Seed [004]: the body policy, with its discounts,
# moves to another car of the insured or of the spouse, and to no one else's.
THIS_CAR = "this_car"
OWN_PREVIOUS_CAR = "own_previous_car"
SPOUSE = "spouse"
PARENT = "parent"
CHILD = "child"
OTHER_PERSON = "other_person"
ALLOWED_NO_CLAIM_SOURCES = (THIS_CAR, OWN_PREVIOUS_CAR, SPOUSE)


@dataclass(frozen=True)
class BodyInput:
    car_value: int
    build_year: int
    car_age: int
    usage: str = "personal"
    no_claim_years: int = 0
    covers: tuple[str, ...] = ()
    price_fluctuation_level: int = 25
    engine_class: str = DEFAULT_ENGINE_CLASS
    driver_negative_points: int = 0
    no_claim_source: str = THIS_CAR
    car_model: str | None = None
    payment: str = CASH
    first_due_on: dt.date | None = None  # the day the down payment is due (the quote's day)


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    this_year = solar_year(today)
    level_choices = tuple(
        p.Choice(int(key), rate.label or key) for key, rate in tariff.table("price_fluctuation").items()
    )
    return (
        *car_params(
            snapshot,
            attribute="body_engine_class",
            help_text=_("تعداد سیلندر از روی خودرو تعیین می‌شود."),
        ),
        p.Param(
            "car_value", _("ارزش خودرو"), p.MONEY, required=True, min=100_000_000, max=1_000_000_000_000, unit="rial"
        ),
        p.Param(
            "build_year",
            _("سال ساخت (شمسی)"),
            p.INTEGER,
            required=True,
            # The limit is the one recording, renewing and endorsing check (pricing.core.limits).
            min=limits.body_oldest_build_year(tariff, this_year),
            max=this_year + 1,
            unit="year",
            min_message=limits.car_too_old_message(tariff),
            max_message=_("سال ساخت از سال آینده بیشتر نمی‌تواند باشد."),
        ),
        p.Param("usage", _("کاربری"), p.CHOICE, default="personal", choices=choices_from(tariff, "usage_loading")),
        p.Param(
            "engine_class",
            _("تعداد سیلندر (اگر خودرو در فهرست نیست)"),
            p.CHOICE,
            # Derived from `car_model` when one is chosen; 4 cylinders when neither is given.
            default=None,
            choices=choices_from(tariff, "engine_factor"),
            help=_("خالی بگذارید تا از روی خودرو تعیین شود؛ بدون خودرو، ۴ سیلندر."),
        ),
        p.Param("no_claim_years", _("سال‌های عدم خسارت"), p.INTEGER, default=0, min=0, max=60, unit="year"),
        p.Param(
            "no_claim_source",
            _("سابقه عدم خسارت از کجاست"),
            p.CHOICE,
            default=THIS_CAR,
            choices=no_claim_source_choices(),
            help=_("تخفیف بدنه فقط به خودروی دیگر خودتان یا همسرتان منتقل می‌شود."),
        ),
        p.Param(
            "driver_negative_points",
            _("نمره منفی راننده"),
            p.INTEGER,
            default=0,
            min=0,
            max=200,
            help=_("رعایت قوانین و خطرساز نبودن راننده در حق بیمه اثر دارد."),
        ),
        p.Param("covers", _("پوشش‌های اضافی"), p.MULTI_CHOICE, default=(), choices=choices_from(tariff, "covers")),
        p.Param(
            "price_fluctuation_level",
            _("سقف پوشش نوسان قیمت (درصد)"),
            p.CHOICE,
            default=int(next(iter(tariff.table("price_fluctuation")), 25)),
            choices=level_choices,
            help=_("فقط وقتی پوشش نوسان قیمت انتخاب شده باشد."),
        ),
        p.Param(
            "duration_days",
            _("مدت بیمه‌نامه (روز)"),
            p.INTEGER,
            default=DAYS_IN_YEAR,
            min=limits.BODY_MIN_TERM_DAYS,
            max=DAYS_IN_YEAR,
            unit="day",
            min_message=limits.body_term_message(),
            max_message=_("بیمه بدنه برای یک سال صادر می‌شود."),
        ),
        payment_param(),
    )


def derive_params(cleaned: dict, snapshot: TariffSnapshot) -> dict:
    """The engine class from the chosen car (issue 14 point 5); `engine_class`, if also sent, must agree."""
    tariff = snapshot.line(CODE)
    labels = {key: rate.label or key for key, rate in tariff.table("engine_factor").items()}
    return derive_from_car(
        cleaned,
        snapshot,
        field="engine_class",
        attribute="body_engine_class",
        default=DEFAULT_ENGINE_CLASS,
        labels=labels,
    )


def no_claim_source_choices() -> tuple[p.Choice, ...]:
    return (
        p.Choice(THIS_CAR, _("همین خودرو")),
        p.Choice(OWN_PREVIOUS_CAR, _("خودروی دیگر خودم")),
        p.Choice(SPOUSE, _("خودروی همسر")),
        p.Choice(PARENT, _("خودروی پدر یا مادر")),
        p.Choice(CHILD, _("خودروی فرزند")),
        p.Choice(OTHER_PERSON, _("شخص دیگر (از جمله مالک قبلی همین خودرو)")),
    )


def no_claim_source_errors(cleaned: dict) -> dict[str, list[str]]:
    """Seed [004]: a body policy and its discounts move only to a car of the insured or
    the spouse ("به خودروی دیگری که به نامش نیست قابل انتقال نمی‌باشد")."""
    if cleaned.get("no_claim_source", THIS_CAR) in ALLOWED_NO_CLAIM_SOURCES:
        return {}
    return {
        "no_claim_source": [
            _(
                "تخفیف عدم خسارت بیمه بدنه فقط از خودروی دیگر خود بیمه‌گذار یا همسر او منتقل می‌شود؛ "
                "سابقه پدر، مادر، فرزند یا دیگران منتقل نمی‌شود."
            )
        ]
    }


def engine_factor(tariff: LineTariff, engine_class: str) -> Decimal:
    """Seeds [003][004]: the number of cylinders (engine volume) is a body price factor."""
    return tariff.get("engine_factor", engine_class, Decimal(1))


def violation_loading_percent(tariff: LineTariff, negative_points: int) -> Decimal:
    """Seed [004]: the driver's conduct (keeping the rules) is a body price factor; the step
    of the tariff's `violation_loading` table (minimum points → loading %) reached."""
    pct = Decimal(0)
    for threshold, value in tariff.int_bands("violation_loading"):
        if negative_points >= threshold:
            pct = value
    return pct


def limit_errors(cleaned: dict, snapshot: TariffSnapshot, today) -> dict[str, list[str]]:
    """The line's limits, by the functions recording, renewing and endorsing call too
    (`pricing.core.limits`): a year at least [004], no car over 20 years [004]. The
    parameters' bounds say the same before anything is sent; this is where the rule lives."""
    errors: dict[str, list[str]] = {}
    term_problem = limits.body_term(cleaned.get("duration_days") or DAYS_IN_YEAR)
    if term_problem:
        errors["duration_days"] = [term_problem]
    age_problem = limits.car_age(
        CODE, build_year=cleaned["build_year"], this_solar_year=solar_year(today), tariff=snapshot.line(CODE)
    )
    if age_problem:
        errors["build_year"] = [age_problem]
    return errors


def build_input(cleaned: dict, snapshot: TariffSnapshot, today) -> BodyInput:
    errors = {**limit_errors(cleaned, snapshot, today), **no_claim_source_errors(cleaned)}
    if errors:
        raise InputError(errors)
    values = derive_params(cleaned, snapshot)
    values.pop("duration_days", None)
    return BodyInput(car_age=max(solar_year(today) - values["build_year"], 0), first_due_on=today, **values)


def no_claim_percent(tariff: LineTariff, years: int) -> Decimal:
    pct = Decimal(0)
    for threshold, value in tariff.int_bands("no_claim"):
        if years >= threshold:
            pct = value
    return pct


def quote(inp: BodyInput, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
    tariff = snapshot.line(CODE)
    draft = Draft()
    base = draft.add(
        "base_premium",
        _("حق بیمه پایه بدنه"),
        inp.car_value * percent(tariff.value("rate", "base")) * engine_factor(tariff, inp.engine_class),
        keep_zero=True,
    )
    draft.add("usage_loading", _("اضافه‌نرخ کاربری"), base * percent(tariff.value("usage_loading", inp.usage)))
    draft.add(
        "violation_loading",
        _("اضافه‌نرخ نمره منفی و تخلفات راننده"),
        base * percent(violation_loading_percent(tariff, inp.driver_negative_points)),
    )

    # Cars past the threshold age pay a loading per year; over the maximum they are refused
    # at validation (the parameter's minimum build year).
    extra_years = max(inp.car_age - int(tariff.value("age", "loading_after_years")), 0)
    draft.add(
        "age_loading", _("اضافه‌نرخ عمر خودرو"), base * percent(tariff.value("age", "loading_per_year") * extra_years)
    )

    cover_labels = tariff.table("covers")
    for code in inp.covers:
        pct = (
            tariff.value("price_fluctuation", str(inp.price_fluctuation_level))
            if code == PRICE_FLUCTUATION
            else tariff.value("covers", code)
        )
        draft.add(f"cover_{code}", cover_labels[code].label or code, base * percent(pct))
    gross = draft.total

    no_claim = draft.add(
        "no_claim_discount", _("تخفیف عدم خسارت"), -gross * percent(no_claim_percent(tariff, inp.no_claim_years))
    )
    insurer_pct = insurer_percent(tariff, terms)
    # Every discount together stays within the tariff's cap (at most 70% off the gross).
    floor_amount = -gross * percent(tariff.value("discount_cap", "max_total_percent"))
    insurer_amount = max((gross + no_claim) * percent(insurer_pct), floor_amount - no_claim)
    add_insurer_adjustment(draft, insurer_amount)

    add_vat(draft, draft.total, snapshot)
    plan = None
    if inp.payment == INSTALLMENTS and inp.first_due_on is not None:
        plan = insurer_plan(snapshot, CODE, terms.code, first_due_on=inp.first_due_on)
    return settle(draft, insurer=terms.code, insurer_name=terms.name, installment_plan=plan)


def validate_tariff(tariff: LineTariff) -> list[str]:
    problems = []
    for table, key in (
        ("rate", "base"),
        ("age", "max_years"),
        ("age", "loading_after_years"),
        ("age", "loading_per_year"),
        ("discount_cap", "max_total_percent"),
    ):
        if tariff.get(table, key) is None:
            problems.append(f"body/{table}/{key} is missing")
    if "personal" not in tariff.table("usage_loading"):
        problems.append("body/usage_loading needs personal")
    return problems
