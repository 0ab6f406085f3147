"""Fire (بیمه آتش‌سوزی): residential, commercial and industrial; building and/or contents.

Order: main risks (fire, lightning, explosion) = capital × rate ‰ by property type ×
construction factor × region factor, priced for building and contents separately and always included;
each additional risk = the main-risk premium × its multiplier, so it cannot exist without
the main risks; insurer adjustment; duration (short-term scale under a year, pro-rata
above); VAT. `inspection_required` and the instalment plan are set on the quote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from insurers.lines import LineCode
from pricing.core import params as p
from pricing.core.errors import InputError
from pricing.core.i18n import gettext_cached as _
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import Draft, InstallmentPlan, percent, settle, short_term_percent
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = LineCode.FIRE.value
DAYS_IN_YEAR = 365
PERMILLE = Decimal(1000)
CASH = "cash"
INSTALLMENTS = "installments"


@dataclass(frozen=True)
class FireInput:
    property_type: str
    construction_type: str
    building_value: int
    contents_value: int
    start_date: dt.date
    covers: tuple[str, ...] = ()
    duration_days: int = DAYS_IN_YEAR
    payment: str = CASH
    installments_count: int = 8
    area_m2: int = 0
    building_value_estimated: bool = False
    region: str | None = None

    @property
    def capital(self) -> int:
        return self.building_value + self.contents_value


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    max_count = int(tariff.value("installments", "max_count"))
    return (
        p.Param(
            "property_type", _("نوع ملک"), p.CHOICE, default="residential", choices=choices_from(tariff, "base_rate")
        ),
        p.Param(
            "construction_type",
            _("نوع سازه"),
            p.CHOICE,
            default="concrete",
            choices=choices_from(tariff, "construction_factor"),
        ),
        p.Param(
            "region",
            _("استان محل ملک"),
            p.CHOICE,
            default=None,
            choices=choices_from(tariff, "region_factor"),
            help=_("نرخ و هزینه ساخت هر متر به منطقه ملک بستگی دارد؛ بدون انتخاب، رقم کشوری به کار می‌رود."),
        ),
        p.Param(
            "area_m2",
            _("متراژ (متر مربع)"),
            p.INTEGER,
            default=0,
            min=0,
            max=1_000_000,
            unit="m2",
            help=_("اگر ارزش ساختمان را نمی‌دانید، از متراژ و هزینه ساخت هر متر برآورد می‌شود."),
        ),
        p.Param(
            "building_value",
            _("ارزش ساخت بنا (بدون زمین)"),
            p.MONEY,
            default=0,
            min=0,
            max=10_000_000_000_000,
            unit="rial",
        ),
        p.Param("contents_value", _("ارزش اثاثیه"), p.MONEY, default=0, min=0, max=10_000_000_000_000, unit="rial"),
        p.Param("covers", _("خطرهای اضافی"), p.MULTI_CHOICE, default=(), choices=choices_from(tariff, "covers")),
        p.Param(
            "duration_days",
            _("مدت بیمه‌نامه (روز)"),
            p.INTEGER,
            default=DAYS_IN_YEAR,
            min=1,
            max=3 * DAYS_IN_YEAR,
            unit="day",
            help=_("کمتر از یک سال با جدول کوتاه‌مدت و بیش از یک سال روزشمار."),
        ),
        p.Param(
            "payment",
            _("نحوه پرداخت"),
            p.CHOICE,
            default=CASH,
            choices=(p.Choice(CASH, _("نقدی")), p.Choice(INSTALLMENTS, _("اقساطی"))),
        ),
        p.Param(
            "installments_count",
            _("تعداد اقساط (پس از پیش‌پرداخت)"),
            p.INTEGER,
            default=max_count,
            min=1,
            max=max_count,
        ),
        p.Param("start_date", _("تاریخ شروع"), p.DATE, default=today),
    )


def build_input(cleaned: dict, snapshot: TariffSnapshot, today) -> FireInput:
    tariff = snapshot.line(CODE)
    values = dict(cleaned)
    errors: dict[str, list[str]] = {}
    estimated = False
    if not values["building_value"] and values["area_m2"]:
        # Building cover is the construction cost only, never the land: area × cost per m².
        values["building_value"] = values["area_m2"] * construction_cost_per_m2(tariff, values.get("region"))
        estimated = True
    if not values["building_value"] and not values["contents_value"]:
        errors["building_value"] = [_("ارزش بنا (یا متراژ) یا ارزش اثاثیه را وارد کنید؛ هر دو صفر است.")]
    if values["start_date"] < today:
        errors["start_date"] = [_("تاریخ شروع نمی‌تواند در گذشته باشد.")]
    if errors:
        raise InputError(errors)
    return FireInput(building_value_estimated=estimated, **values)


def construction_cost_per_m2(tariff: LineTariff, region: str | None) -> int:
    """The region's published cost per m² where the tariff has one, else the national figure."""
    regional = tariff.get("construction_cost_by_region", region) if region else None
    return int(regional if regional is not None else tariff.value("construction_cost", "per_m2"))


def region_factor(tariff: LineTariff, region: str | None) -> Decimal:
    """Seed [003]: the region of the property is a price factor; unstated, the national rate (× 1)."""
    return tariff.get("region_factor", region, Decimal(1)) if region else Decimal(1)


def inspection_required(inp: FireInput, tariff: LineTariff) -> bool:
    """Capital over the threshold, a cover that needs a site visit, or an industrial risk."""
    if inp.capital > tariff.value("inspection", "capital_threshold"):
        return True
    if any(tariff.get("inspection_covers", code, Decimal(0)) for code in inp.covers):
        return True
    return bool(tariff.get("inspection_property_types", inp.property_type, Decimal(0)))


def quote(inp: FireInput, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
    tariff = snapshot.line(CODE)
    draft = Draft()
    rate = (
        tariff.value("base_rate", inp.property_type)
        * tariff.value("construction_factor", inp.construction_type)
        * region_factor(tariff, inp.region)
    )

    main = Decimal(0)
    if inp.building_value:
        main += draft.add(
            "main_risks_building", _("خطرهای اصلی (آتش‌سوزی، صاعقه، انفجار) — بنا"), inp.building_value * rate / PERMILLE
        )
    if inp.contents_value:
        main += draft.add(
            "main_risks_contents",
            _("خطرهای اصلی (آتش‌سوزی، صاعقه، انفجار) — اثاثیه"),
            inp.contents_value * rate / PERMILLE,
        )

    covers = tariff.table("covers")
    for code in inp.covers:
        draft.add(f"cover_{code}", covers[code].label or code, main * covers[code].value)
    annual = draft.total

    adjusted = annual + add_insurer_adjustment(draft, annual * percent(insurer_percent(tariff, terms)))
    if inp.duration_days < DAYS_IN_YEAR:
        pct = short_term_percent(snapshot.general.int_bands("short_term"), inp.duration_days)
        draft.add("short_term_adjustment", _("تعدیل کوتاه‌مدت"), adjusted * (percent(pct) - 1))
    elif inp.duration_days > DAYS_IN_YEAR:
        extra_days = inp.duration_days - DAYS_IN_YEAR
        draft.add("pro_rata_extension", _("مدت بیش از یک سال (روزشمار)"), adjusted * extra_days / DAYS_IN_YEAR)

    add_vat(draft, draft.total, snapshot)
    plan = None
    if inp.payment == INSTALLMENTS:
        plan = InstallmentPlan(
            count=inp.installments_count,
            min_down_percent=tariff.value("installments", "min_down_percent"),
            first_due_on=inp.start_date,
        )
    return settle(
        draft,
        insurer=terms.code,
        insurer_name=terms.name,
        inspection_required=inspection_required(inp, tariff),
        installment_plan=plan,
    )


def validate_tariff(tariff: LineTariff) -> list[str]:
    problems = []
    for table, key in (
        ("construction_cost", "per_m2"),
        ("inspection", "capital_threshold"),
        ("installments", "min_down_percent"),
        ("installments", "max_count"),
    ):
        if tariff.get(table, key) is None:
            problems.append(f"fire/{table}/{key} is missing")
    for table in ("base_rate", "construction_factor"):
        if not tariff.table(table):
            problems.append(f"fire/{table} is empty")
    return problems
