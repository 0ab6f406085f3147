"""Third-party liability (بیمه شخص ثالث).

Order of operations (docs/PRICING.md explains each choice):
1. base premium of the vehicle group (Central Insurance tariff, annual);
2. usage loading on the base (taxi +20%, driving school +15% …), and the driver's
   negative-points loading on the base;
3. no-claim discount (ت.ع.خ): 5%/claim-free year up to the tariff's cap, less the step
   reductions for property and bodily claims on the last policy, never below 0%;
4. insurer adjustment on the liability premium, never taking it below the Central
   Insurance minimum (a percentage of the tariff premium);
5. driver-accident cover and extra financial cover (fixed tariff amounts);
6. short-term scale when the duration is under a year;
7. late penalty: the undiscounted annual premium ÷ 365 per uncovered day, at most 365
   days, never discounted, waived if the car was impounded at expiry;
8. VAT on everything except the late penalty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from insurers.lines import LineCode
from pricing.core import params as p
from pricing.core.cars import car_params, derive_from_car
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.installments import CASH, INSTALLMENTS, insurer_plan, payment_param
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import HUNDRED, Draft, percent, settle, short_term_percent
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = LineCode.THIRD_PARTY.value
DEFAULT_GROUP = "car_4cyl"
DAYS_IN_YEAR = 365

# Where the claim-free years come from. Seed [003]: the discount moves to the owner's new
# car (the old one sold), or within the family — father, mother and children only — and
# only between cars of similar usage. A spouse's or anyone else's record does not move.
THIS_CAR = "this_car"
OWN_PREVIOUS_CAR = "own_previous_car"
PARENT = "parent"
CHILD = "child"
SPOUSE = "spouse"
OTHER_PERSON = "other_person"
TRANSFERRED_SOURCES = (OWN_PREVIOUS_CAR, PARENT, CHILD)


@dataclass(frozen=True)
class ThirdPartyInput:
    vehicle_group: str = DEFAULT_GROUP
    usage: str = "personal"
    no_claim_years: int = 0
    property_claims: int = 0
    bodily_claims: int = 0
    late_days: int = 0
    impounded: bool = False
    extra_financial_cover: int = 0
    duration_days: int = DAYS_IN_YEAR
    driver_negative_points: int = 0
    no_claim_source: str = THIS_CAR
    no_claim_source_usage: str | None = None
    previous_policy_transferred: bool = False
    car_model: str | None = None
    payment: str = CASH
    first_due_on: dt.date | None = None  # the day the down payment is due (the quote's day)


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    cover_choices = tuple(
        p.Choice(int(key), rate.label or key) for key, rate in tariff.table("extra_financial_cover").items()
    )
    return (
        *car_params(
            snapshot,
            attribute="third_party_group",
            help_text=_("گروه تعرفه از روی خودرو تعیین می‌شود."),
        ),
        p.Param(
            "vehicle_group",
            _("گروه خودرو (اگر خودرو در فهرست نیست)"),
            p.CHOICE,
            # Derived from `car_model` when one is chosen; car_4cyl when neither is given.
            default=None,
            choices=choices_from(tariff, "base_premium"),
            help=_("خالی بگذارید تا از روی خودرو تعیین شود؛ بدون خودرو، سواری ۴ سیلندر."),
        ),
        p.Param("usage", _("کاربری"), p.CHOICE, default="personal", choices=choices_from(tariff, "usage_loading")),
        p.Param("no_claim_years", _("سال‌های عدم خسارت"), p.INTEGER, default=0, min=0, max=60, unit="year"),
        p.Param(
            "no_claim_source",
            _("سابقه عدم خسارت از کجاست"),
            p.CHOICE,
            default=THIS_CAR,
            choices=no_claim_source_choices(),
            help=_("تخفیف فقط به خودروی جدید خودتان یا میان پدر، مادر و فرزندان منتقل می‌شود."),
        ),
        p.Param(
            "no_claim_source_usage",
            _("کاربری خودرویی که سابقه از آن منتقل می‌شود"),
            p.CHOICE,
            default=None,
            choices=choices_from(tariff, "usage_loading"),
            help=_("انتقال تخفیف فقط میان خودروهای با کاربری مشابه ممکن است."),
        ),
        p.Param(
            "previous_policy_transferred",
            _("بیمه‌نامه خودروی قبلی پیش از این درخواست به نام خریدار منتقل شده است"),
            p.BOOLEAN,
            default=False,
            help=_("تخفیف به خودروی جدید فقط با درخواست پیش از انتقال بیمه‌نامه به خریدار منتقل می‌شود."),
        ),
        p.Param("property_claims", _("تعداد خسارت مالی بیمه‌نامه قبلی"), p.INTEGER, default=0, min=0, max=20),
        p.Param("bodily_claims", _("تعداد خسارت جانی بیمه‌نامه قبلی"), p.INTEGER, default=0, min=0, max=20),
        p.Param(
            "driver_negative_points",
            _("نمره منفی راننده"),
            p.INTEGER,
            default=0,
            min=0,
            max=200,
            help=_("رانندگان با نمره منفی بالا و سابقه تخلف زیاد حق بیمه بیشتری می‌پردازند."),
        ),
        p.Param(
            "late_days",
            _("روزهای بدون بیمه (دیرکرد)"),
            p.INTEGER,
            default=0,
            min=0,
            max=36500,
            unit="day",
            help=_("جریمه حداکثر برای ۳۶۵ روز حساب می‌شود."),
        ),
        p.Param(
            "impounded",
            _("خودرو هنگام پایان بیمه‌نامه در توقیف پلیس بوده است"),
            p.BOOLEAN,
            default=False,
            help=_("با ارائه مجوز رفع توقیف، جریمه دیرکرد بخشیده می‌شود."),
        ),
        p.Param(
            "extra_financial_cover",
            _("سقف پوشش مالی"),
            p.CHOICE,
            default=0,
            choices=cover_choices,
            unit="rial",
        ),
        p.Param(
            "duration_days",
            _("مدت بیمه‌نامه (روز)"),
            p.INTEGER,
            default=DAYS_IN_YEAR,
            min=1,
            max=DAYS_IN_YEAR,
            unit="day",
            help=_("کمتر از یک سال با جدول کوتاه‌مدت حساب می‌شود."),
        ),
        payment_param(),
    )


def derive_params(cleaned: dict, snapshot: TariffSnapshot) -> dict:
    """The tariff group from the chosen car (issue 14 point 5); `vehicle_group`, if also sent, must agree."""
    tariff = snapshot.line(CODE)
    labels = {key: rate.label or key for key, rate in tariff.table("base_premium").items()}
    return derive_from_car(
        cleaned, snapshot, field="vehicle_group", attribute="third_party_group", default=DEFAULT_GROUP, labels=labels
    )


def no_claim_source_choices() -> tuple[p.Choice, ...]:
    return (
        p.Choice(THIS_CAR, _("همین خودرو")),
        p.Choice(OWN_PREVIOUS_CAR, _("خودروی قبلی خودم (فروخته‌شده)")),
        p.Choice(PARENT, _("خودروی پدر یا مادر")),
        p.Choice(CHILD, _("خودروی فرزند")),
        p.Choice(SPOUSE, _("خودروی همسر")),
        p.Choice(OTHER_PERSON, _("خودروی شخص دیگر")),
    )


def build_input(cleaned: dict, snapshot: TariffSnapshot, today) -> ThirdPartyInput:
    errors = no_claim_transfer_errors(cleaned)
    if errors:
        raise InputError(errors)
    return ThirdPartyInput(**derive_params(cleaned, snapshot), first_due_on=today)


def no_claim_transfer_errors(cleaned: dict) -> dict[str, list[str]]:
    """Seed [003]: the no-claim record moves only to the owner's new car or between
    father, mother and children, and only between cars of similar usage.

    "Similar usage" is read as the same usage of the tariff (a taxi's record does not
    move to a driving-school car); the source's own example is a taxi and a lorry.
    """
    source = cleaned.get("no_claim_source", THIS_CAR)
    if source == THIS_CAR:
        return {}
    if source not in TRANSFERRED_SOURCES:
        return {
            "no_claim_source": [
                _(
                    "تخفیف عدم خسارت بیمه شخص ثالث فقط به خودروی جدید خود بیمه‌گذار یا میان پدر، مادر و "
                    "فرزندان منتقل می‌شود؛ سابقه همسر یا دیگران منتقل نمی‌شود."
                )
            ]
        }
    if source == OWN_PREVIOUS_CAR and cleaned.get("previous_policy_transferred"):
        # Seed [004]: the discounts move to the new car when the request comes before the
        # date the old car's policy is transferred to its buyer.
        return {
            "previous_policy_transferred": [
                _(
                    "تخفیف عدم خسارت خودروی فروخته‌شده فقط وقتی به خودروی جدید منتقل می‌شود که درخواست پیش از "
                    "انتقال بیمه‌نامه آن خودرو به خریدار داده شود."
                )
            ]
        }
    source_usage = cleaned.get("no_claim_source_usage")
    if not source_usage:
        return {"no_claim_source_usage": [_("کاربری خودرویی را که سابقه عدم خسارت از آن منتقل می‌شود انتخاب کنید.")]}
    if source_usage != cleaned.get("usage", "personal"):
        return {
            "no_claim_source_usage": [
                _(
                    "تخفیف عدم خسارت فقط میان خودروهای با کاربری مشابه منتقل می‌شود؛ کاربری این خودرو با "
                    "خودرویی که سابقه از آن می‌آید یکی نیست."
                )
            ]
        }
    return {}


def violation_loading_percent(tariff: LineTariff, negative_points: int) -> Decimal:
    """Seed [003]: drivers with many negative points pay more; the step of the tariff's
    `violation_loading` table (minimum points → loading %) the driver has reached."""
    pct = Decimal(0)
    for threshold, value in tariff.int_bands("violation_loading"):
        if negative_points >= threshold:
            pct = value
    return pct


def no_claim_percent(tariff: LineTariff, years: int, property_claims: int, bodily_claims: int) -> Decimal:
    """The no-claim discount in percent after the claim step reductions.

    Reductions are percentage points off the discount (50% with one property claim →
    30%); the result never goes below 0%, i.e. claims never turn into a surcharge.
    """
    earned = min(Decimal(years) * tariff.value("no_claim", "per_year"), tariff.value("no_claim", "cap"))
    reduction = _claim_reduction(tariff, "property_claim_reduction", property_claims) + _claim_reduction(
        tariff, "bodily_claim_reduction", bodily_claims
    )
    return max(earned - reduction, Decimal(0))


def _claim_reduction(tariff: LineTariff, table: str, claims: int) -> Decimal:
    if claims <= 0:
        return Decimal(0)
    steps = tariff.int_bands(table)
    reduction = Decimal(0)
    for count, points in steps:
        if count <= claims:
            reduction = points
    return reduction


def quote(inp: ThirdPartyInput, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
    tariff = snapshot.line(CODE)
    draft = Draft()

    base = draft.add("base_premium", _("حق بیمه پایه"), tariff.value("base_premium", inp.vehicle_group), keep_zero=True)
    usage_pct = tariff.value("usage_loading", inp.usage)
    usage = draft.add("usage_loading", _("اضافه‌نرخ کاربری"), base * percent(usage_pct))
    violation = draft.add(
        "violation_loading",
        _("اضافه‌نرخ نمره منفی و تخلفات راننده"),
        base * percent(violation_loading_percent(tariff, inp.driver_negative_points)),
    )
    # The late penalty is the vehicle's tariff premium (base and usage); the driver's
    # surcharge is part of the premium discounted by no-claim years and the insurer.
    penalty_base = base + usage
    tariff_premium = penalty_base + violation

    no_claim_pct = no_claim_percent(tariff, inp.no_claim_years, inp.property_claims, inp.bodily_claims)
    no_claim = draft.add("no_claim_discount", _("تخفیف عدم خسارت (ت.ع.خ)"), -tariff_premium * percent(no_claim_pct))
    liability = tariff_premium + no_claim

    # The insurer's discount may not take the premium below the Central Insurance minimum.
    insurer_pct = insurer_percent(tariff, terms)
    floor_pct = tariff.value("minimum", "percent_of_tariff") - HUNDRED
    insurer = add_insurer_adjustment(draft, liability * percent(max(insurer_pct, floor_pct)))

    driver = draft.add("driver_accident", _("پوشش حوادث راننده"), tariff.value("driver_accident", inp.vehicle_group))
    extra = draft.add(
        "extra_financial_cover",
        _("پوشش مالی مازاد"),
        tariff.value("extra_financial_cover", str(inp.extra_financial_cover)),
    )
    annual = liability + insurer + driver + extra

    short_pct = short_term_percent(snapshot.general.int_bands("short_term"), inp.duration_days)
    short = draft.add("short_term_adjustment", _("تعدیل کوتاه‌مدت"), annual * (percent(short_pct) - 1))

    # The penalty is the undiscounted tariff premium per uncovered day: no-claim and
    # insurer discounts never reduce it, and days past 365 count as 365.
    if not inp.impounded and inp.late_days > 0:
        max_days = int(tariff.value("late_penalty", "max_days"))
        days = min(inp.late_days, max_days)
        draft.add("late_penalty", _("جریمه دیرکرد"), penalty_base * days / DAYS_IN_YEAR)

    add_vat(draft, annual + short, snapshot)
    plan = None
    if inp.payment == INSTALLMENTS and inp.first_due_on is not None:
        plan = insurer_plan(snapshot, CODE, terms.code, first_due_on=inp.first_due_on)
    return settle(draft, insurer=terms.code, insurer_name=terms.name, installment_plan=plan)


def validate_tariff(tariff: LineTariff) -> list[str]:
    problems = []
    for table in ("base_premium", "driver_accident", "usage_loading", "no_claim", "extra_financial_cover", "minimum"):
        if not tariff.table(table):
            problems.append(f"third_party/{table} is empty")
    if tariff.get("claims", "police_report_threshold") is None:
        problems.append("third_party/claims/police_report_threshold is missing")
    if DEFAULT_GROUP not in tariff.table("base_premium"):
        problems.append("third_party/base_premium needs car_4cyl")
    for key in tariff.table("base_premium"):
        if key not in tariff.table("driver_accident"):
            problems.append(f"third_party/driver_accident has no {key}")
    return problems
