"""What each tariff table holds, so staff edits can be checked before they price anything.

Keys: `code` (a slug such as `car_4cyl`), `int` (an upper bound in days or years, a claim
count, an amount), `zone_band` (`schengen:7`). Values are checked by kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

RIAL = "rial"  # a whole amount in rial
PERCENT = "percent"  # 0–100
LOADING = "loading"  # a loading in percent, 0–1000
SIGNED_PERCENT = "signed_percent"  # −100–100 (insurer bounds)
MULTIPLIER = "multiplier"  # > 0, ≤ 100
PERMILLE = "permille"  # > 0, ≤ 1000
COUNT = "count"  # a whole number of days, years or instalments
FLAG = "flag"  # 0 or 1

KEY_CODE = "code"
KEY_INT = "int"
KEY_ZONE_BAND = "zone_band"
KEY_COUNTRY_ZONE = "country_zone"

_KEY_PATTERNS = {
    KEY_CODE: re.compile(r"^[a-z][a-z0-9_]*$"),
    KEY_INT: re.compile(r"^\d+$"),
    KEY_ZONE_BAND: re.compile(r"^[a-z][a-z0-9_]*:\d+$"),
    KEY_COUNTRY_ZONE: re.compile(r"^[A-Z]{2}:[a-z][a-z0-9_]*$"),
}


@dataclass(frozen=True)
class TableSpec:
    kind: str
    key: str = KEY_CODE
    description: str = ""


_BOUNDS = TableSpec(SIGNED_PERCENT, description="Central Insurance bounds of the insurer adjustment")

TABLES: dict[tuple[str, str], TableSpec] = {
    ("general", "tax"): TableSpec(PERCENT, description="vat"),
    ("general", "short_term"): TableSpec(PERCENT, KEY_INT, "upper bound in days → % of the annual premium"),
    ("third_party", "base_premium"): TableSpec(RIAL, description="annual base premium by vehicle group"),
    ("third_party", "driver_accident"): TableSpec(RIAL, description="driver-accident premium by vehicle group"),
    ("third_party", "usage_loading"): TableSpec(LOADING),
    ("third_party", "no_claim"): TableSpec(PERCENT, description="per_year, cap"),
    ("third_party", "property_claim_reduction"): TableSpec(PERCENT, KEY_INT, "claims → points off the discount"),
    ("third_party", "bodily_claim_reduction"): TableSpec(PERCENT, KEY_INT, "claims → points off the discount"),
    ("third_party", "extra_financial_cover"): TableSpec(RIAL, KEY_INT, "property limit in rial → premium"),
    ("third_party", "minimum"): TableSpec(PERCENT, description="percent_of_tariff"),
    ("third_party", "late_penalty"): TableSpec(COUNT, description="max_days"),
    ("third_party", "violation_loading"): TableSpec(LOADING, KEY_INT, "minimum negative points → % of the base"),
    ("third_party", "claims"): TableSpec(RIAL, description="police_report_threshold: below it no police report"),
    ("third_party", "insurer_bounds"): _BOUNDS,
    ("third_party", "installment_down_percent"): TableSpec(
        PERCENT, description="insurer code → minimum down payment %"
    ),
    ("third_party", "installment_count"): TableSpec(COUNT, description="insurer code → instalments (0: cash only)"),
    ("third_party", "installment_spacing_months"): TableSpec(COUNT, description="insurer code → months between"),
    ("body", "rate"): TableSpec(PERCENT, description="base: % of the car's value"),
    ("body", "usage_loading"): TableSpec(LOADING),
    ("body", "engine_factor"): TableSpec(MULTIPLIER, description="cylinder class → × the base rate"),
    ("body", "violation_loading"): TableSpec(LOADING, KEY_INT, "minimum negative points → % of the base"),
    ("body", "no_claim"): TableSpec(PERCENT, KEY_INT, "claim-free years → discount"),
    ("body", "age"): TableSpec(COUNT, description="loading_after_years, loading_per_year, max_years"),
    ("body", "covers"): TableSpec(LOADING, description="% of the base premium"),
    ("body", "price_fluctuation"): TableSpec(LOADING, KEY_INT, "cover level % → % of the base premium"),
    ("body", "discount_cap"): TableSpec(PERCENT, description="max_total_percent"),
    ("body", "insurer_bounds"): _BOUNDS,
    ("body", "installment_down_percent"): TableSpec(PERCENT, description="insurer code → minimum down payment %"),
    ("body", "installment_count"): TableSpec(COUNT, description="insurer code → instalments (0: cash only)"),
    ("body", "installment_spacing_months"): TableSpec(COUNT, description="insurer code → months between"),
    ("fire", "base_rate"): TableSpec(PERMILLE, description="‰ of capital by property type"),
    ("fire", "construction_factor"): TableSpec(MULTIPLIER),
    ("fire", "covers"): TableSpec(MULTIPLIER, description="× the main-risk premium"),
    ("fire", "construction_cost"): TableSpec(RIAL, description="per_m2"),
    ("fire", "region_factor"): TableSpec(MULTIPLIER, description="province code → × the main-risk rate"),
    ("fire", "construction_cost_by_region"): TableSpec(RIAL, description="province code → cost per m2 (else per_m2)"),
    ("fire", "inspection"): TableSpec(RIAL, description="capital_threshold"),
    ("fire", "inspection_covers"): TableSpec(FLAG),
    ("fire", "inspection_property_types"): TableSpec(FLAG),
    ("fire", "installments"): TableSpec(COUNT, description="min_down_percent, max_count"),
    ("fire", "insurer_bounds"): _BOUNDS,
    ("travel", "zone"): TableSpec(FLAG, description="zones offered (1)"),
    ("travel", "country"): TableSpec(
        FLAG, KEY_COUNTRY_ZONE, "ISO country code:zone → offered (1) or withdrawn (0); the zone prices the trip"
    ),
    ("travel", "price"): TableSpec(RIAL, KEY_ZONE_BAND, "zone:upper-days → price before the index"),
    ("travel", "price_index"): TableSpec(MULTIPLIER, description="value"),
    ("travel", "coverage"): TableSpec(MULTIPLIER, KEY_INT, "euros → factor"),
    ("travel", "trip_type"): TableSpec(MULTIPLIER),
    ("travel", "trip"): TableSpec(COUNT, description="single_max_days"),
    ("travel", "age"): TableSpec(MULTIPLIER, KEY_INT, "upper age → factor"),
    ("travel", "insurer_bounds"): _BOUNDS,
    ("electronics", "rate"): TableSpec(PERCENT, description="annual % of the device's value by type"),
    ("electronics", "limits"): TableSpec(RIAL, description="min_value, max_value"),
    ("electronics", "insurer_bounds"): _BOUNDS,
}


def rate_problem(line: str, table: str, key: str, value: Decimal) -> tuple[str, str] | None:
    """(field, Persian message) when a figure does not fit its table, else None."""
    spec = TABLES.get((line, table))
    if spec is None:
        known = ", ".join(sorted(name for (line_code, name) in TABLES if line_code == line))
        return "table", _("جدول «%(table)s» برای این رشته تعریف نشده است. جدول‌های مجاز: %(known)s") % {
            "table": table,
            "known": known,
        }
    if not _KEY_PATTERNS[spec.key].match(key or ""):
        return "key", _("کلید این جدول به این شکل نیست: ") + {
            KEY_CODE: _("حروف کوچک لاتین، رقم و _ (مثل car_4cyl)"),
            KEY_INT: _("یک عدد صحیح"),
            KEY_ZONE_BAND: _("منطقه:روز (مثل schengen:7)"),
            KEY_COUNTRY_ZONE: _("کد دوحرفی کشور:منطقه (مثل TR:world)"),
        }[spec.key]
    whole = value == value.to_integral_value()
    checks = {
        RIAL: (whole and value >= 0, _("مبلغ باید عدد صحیح نامنفی به ریال باشد.")),
        PERCENT: (0 <= value <= 100, _("درصد باید بین ۰ و ۱۰۰ باشد.")),
        LOADING: (0 <= value <= 1000, _("اضافه‌نرخ باید بین ۰ و ۱۰۰۰ درصد باشد.")),
        SIGNED_PERCENT: (-100 <= value <= 100, _("درصد باید بین ۱۰۰- و ۱۰۰ باشد.")),
        MULTIPLIER: (0 < value <= 100, _("ضریب باید بزرگ‌تر از صفر و حداکثر ۱۰۰ باشد.")),
        PERMILLE: (0 < value <= 1000, _("نرخ در هزار باید بزرگ‌تر از صفر و حداکثر ۱۰۰۰ باشد.")),
        COUNT: (whole and value >= 0, _("عدد صحیح نامنفی وارد کنید.")),
        FLAG: (value in (0, 1), _("فقط ۰ یا ۱.")),
    }
    ok, message = checks[spec.kind]
    return None if ok else ("value", message)
