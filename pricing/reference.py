"""The tariff figures every fresh database starts with (solar years 1404 and 1405).

Sources are /work/shared/TARIFFS.md (research notes) and the Persian seed documents
[003] (buying guides) and [004] (FAQ). A figure without a public source is flagged
`is_assumption=True` with the reason in `source`, so staff can find and replace it
(admin: ارقام تعرفه → filter «فرض»). 1405's year-specific amounts are carried over from
1404 until Central Insurance publishes the 1405 figures, and are flagged as such.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import jdatetime

from insurers import lines
from insurers.reference import PROVINCES

T = "TARIFFS.md"
PASARGAD = "TARIFFS.md: Pasargad agency calculator (mmbrge/site-bime), 1403/1404"
SEED_003 = "seed [003] buying guide"
SEED_004 = "seed [004] FAQ"
NO_SOURCE = "no public source; assumption"
# The third-party no-claim discount follows the newer regulation, not seed [003]'s table
# (5% a year, stopping at 45% after nine years).
NO_CLAIM_SOURCE = (
    "Third-Party Compulsory Insurance Law 1395 art. 8 and the Central Insurance directive under it: "
    "5% per claim-free year up to 70% after 14 years (" + T + "); seed [003]'s older table stops at 45% after 9 years"
)

# (line, table, key, label, value, is_assumption, source, yearly)
# `yearly` marks amounts that change every year; for a year without published figures
# they are carried over and flagged as assumptions.
Row = tuple[str, str, str, str, Decimal | int | str, bool, str, bool]


# Travel destinations (the border the traveller enters first, seed [004]) and the tariff
# zone that prices each: (ISO 3166 code, Persian name, zone, source). The tariff has three
# zones; the world zone excludes the USA, Canada and Japan, so Japan is priced with the
# USA and Canada. Europe outside Schengen (UK, Ireland, Cyprus) has no zone of its own:
# it is priced as Europe, an assumption. Common destinations of Iranians come first.
_EUROPE_OUTSIDE_SCHENGEN = NO_SOURCE + ": Europe outside Schengen priced as the Europe zone"
_JAPAN = T + ": the world zone excludes the USA, Canada and Japan; Japan priced with them"
TRAVEL_COUNTRIES: list[tuple[str, str, str, str]] = [
    ("TR", "ترکیه", "world", T),
    ("AE", "امارات متحده عربی", "world", T),
    ("IQ", "عراق", "world", T),
    ("AM", "ارمنستان", "world", T),
    ("GE", "گرجستان", "world", T),
    ("RU", "روسیه", "world", T),
    ("OM", "عمان", "world", T),
    ("QA", "قطر", "world", T),
    ("TH", "تایلند", "world", T),
    ("MY", "مالزی", "world", T),
    ("CN", "چین", "world", T),
    ("IN", "هند", "world", T),
    ("DE", "آلمان", "schengen", T),
    ("FR", "فرانسه", "schengen", T),
    ("IT", "ایتالیا", "schengen", T),
    ("ES", "اسپانیا", "schengen", T),
    ("NL", "هلند", "schengen", T),
    ("GB", "بریتانیا", "schengen", _EUROPE_OUTSIDE_SCHENGEN),
    ("US", "ایالات متحده آمریکا", "usa_canada", T),
    ("CA", "کانادا", "usa_canada", T),
    ("AU", "استرالیا", "world", T),
    ("JP", "ژاپن", "usa_canada", _JAPAN),
    # The other Schengen members.
    ("AT", "اتریش", "schengen", T),
    ("BE", "بلژیک", "schengen", T),
    ("BG", "بلغارستان", "schengen", T),
    ("HR", "کرواسی", "schengen", T),
    ("CZ", "جمهوری چک", "schengen", T),
    ("DK", "دانمارک", "schengen", T),
    ("EE", "استونی", "schengen", T),
    ("FI", "فنلاند", "schengen", T),
    ("GR", "یونان", "schengen", T),
    ("HU", "مجارستان", "schengen", T),
    ("IS", "ایسلند", "schengen", T),
    ("LV", "لتونی", "schengen", T),
    ("LI", "لیختن‌اشتاین", "schengen", T),
    ("LT", "لیتوانی", "schengen", T),
    ("LU", "لوکزامبورگ", "schengen", T),
    ("MT", "مالت", "schengen", T),
    ("NO", "نروژ", "schengen", T),
    ("PL", "لهستان", "schengen", T),
    ("PT", "پرتغال", "schengen", T),
    ("RO", "رومانی", "schengen", T),
    ("SK", "اسلواکی", "schengen", T),
    ("SI", "اسلوونی", "schengen", T),
    ("SE", "سوئد", "schengen", T),
    ("CH", "سوئیس", "schengen", T),
    ("IE", "ایرلند", "schengen", _EUROPE_OUTSIDE_SCHENGEN),
    ("CY", "قبرس", "schengen", _EUROPE_OUTSIDE_SCHENGEN),
    # The rest of the world.
    ("AZ", "جمهوری آذربایجان", "world", T),
    ("SA", "عربستان سعودی", "world", T),
    ("SY", "سوریه", "world", T),
    ("KW", "کویت", "world", T),
    ("BH", "بحرین", "world", T),
    ("LB", "لبنان", "world", T),
    ("AF", "افغانستان", "world", T),
    ("PK", "پاکستان", "world", T),
    ("KZ", "قزاقستان", "world", T),
    ("UZ", "ازبکستان", "world", T),
    ("TJ", "تاجیکستان", "world", T),
    ("TM", "ترکمنستان", "world", T),
    ("KG", "قرقیزستان", "world", T),
    ("BY", "بلاروس", "world", T),
    ("RS", "صربستان", "world", _EUROPE_OUTSIDE_SCHENGEN.replace("the Europe zone", "the world zone")),
    ("ID", "اندونزی", "world", T),
    ("SG", "سنگاپور", "world", T),
    ("KR", "کره جنوبی", "world", T),
    ("VN", "ویتنام", "world", T),
    ("LK", "سری‌لانکا", "world", T),
    ("MV", "مالدیو", "world", T),
    ("EG", "مصر", "world", T),
    ("ZA", "آفریقای جنوبی", "world", T),
    ("BR", "برزیل", "world", T),
    ("NZ", "نیوزیلند", "world", T),
]


def _rows() -> list[Row]:
    rows: list[Row] = [
        ("general", "tax", "vat", "مالیات بر ارزش افزوده", 10, False, T + ": VAT 10% in 1403 and 1404", True),
    ]
    short_term = [
        (5, 5),
        (15, 10),
        (30, 20),
        (60, 30),
        (90, 40),
        (120, 50),
        (150, 60),
        (180, 70),
        (270, 85),
        (365, 100),
    ]
    for days, pct in short_term:
        rows.append(
            (
                "general",
                "short_term",
                str(days),
                f"تا {days} روز",
                pct,
                False,
                T + ": general short-term scale; a month taken as 30 days",
                False,
            )
        )

    # --- third party -------------------------------------------------------------------
    groups = [
        ("pride_peykan", "پراید و پیکان", 89_440_000, 14_700_000),
        ("car_lt4cyl", "سواری کمتر از ۴ سیلندر", 75_522_000, 14_700_000),
        ("car_4cyl", "سواری ۴ سیلندر", 105_132_000, 14_700_000),
        ("car_gt4cyl", "سواری بیش از ۴ سیلندر", 117_665_000, 14_700_000),
        ("pickup_1t", "وانت تا ۱ تن", 92_533_000, 25_200_000),
        ("pickup_3t", "وانت ۱ تا ۳ تن", 111_415_000, 25_200_000),
        ("motorcycle_1cyl", "موتورسیکلت تک‌سیلندر", 22_907_000, 7_770_000),
        ("motorcycle_2cyl", "موتورسیکلت دو سیلندر و بیشتر", 25_162_000, 7_770_000),
        ("motorcycle_sidecar", "موتورسیکلت سه‌چرخ (با سایدکار)", 27_063_000, 7_770_000),
    ]
    for code, label, base, driver in groups:
        rows.append(("third_party", "base_premium", code, label, base, False, PASARGAD, True))
        rows.append(("third_party", "driver_accident", code, label, driver, False, PASARGAD, True))
    rows += [
        ("third_party", "usage_loading", "personal", "شخصی", 0, False, SEED_004, False),
        ("third_party", "usage_loading", "agency", "آژانس و تاکسی درون‌شهری", 10, False, T + ": 1399 figure", False),
        (
            "third_party",
            "usage_loading",
            "taxi",
            "تاکسی و مسافربر برون‌شهری",
            20,
            False,
            SEED_003 + "; bylaw art. 18(4)(2)",
            False,
        ),
        ("third_party", "usage_loading", "driving_school", "آموزش رانندگی", 15, False, SEED_003, False),
        ("third_party", "no_claim", "per_year", "تخفیف هر سال بدون خسارت", 5, False, NO_CLAIM_SOURCE, False),
        ("third_party", "no_claim", "cap", "سقف تخفیف عدم خسارت", 70, False, NO_CLAIM_SOURCE, False),
        ("third_party", "property_claim_reduction", "1", "یک خسارت مالی", 20, False, SEED_003 + "; " + T, False),
        ("third_party", "property_claim_reduction", "2", "دو خسارت مالی", 30, False, SEED_003 + "; " + T, False),
        ("third_party", "property_claim_reduction", "3", "سه خسارت مالی و بیشتر", 40, False, T, False),
        ("third_party", "bodily_claim_reduction", "1", "یک خسارت جانی", 30, False, T, False),
        ("third_party", "bodily_claim_reduction", "2", "دو خسارت جانی", 70, False, T, False),
        ("third_party", "bodily_claim_reduction", "3", "سه خسارت جانی و بیشتر", 100, False, T, False),
        ("third_party", "extra_financial_cover", "0", "حداقل قانونی", 0, False, T, True),
        (
            "third_party",
            "extra_financial_cover",
            "1000000000",
            "۱۰۰ میلیون تومان",
            3_538_955,
            False,
            T + ": figures for a 4-cylinder car, used for every group",
            True,
        ),
        (
            "third_party",
            "extra_financial_cover",
            "2000000000",
            "۲۰۰ میلیون تومان",
            11_796_516,
            False,
            T + ": figures for a 4-cylinder car, used for every group",
            True,
        ),
        (
            "third_party",
            "extra_financial_cover",
            "5000000000",
            "۵۰۰ میلیون تومان",
            31_850_593,
            False,
            T + ": figures for a 4-cylinder car, used for every group",
            True,
        ),
        (
            "third_party",
            "extra_financial_cover",
            "10000000000",
            "یک میلیارد تومان",
            76_087_527,
            False,
            T + ": figures for a 4-cylinder car, used for every group",
            True,
        ),
        (
            "third_party",
            "minimum",
            "percent_of_tariff",
            "حداقل حق بیمه مصوب (درصد تعرفه)",
            90,
            True,
            NO_SOURCE + ": Central Insurance minimum taken as 90% of the tariff premium",
            False,
        ),
        ("third_party", "late_penalty", "max_days", "سقف روزهای جریمه دیرکرد", 365, False, SEED_003, False),
    ]
    # Seed [003]: drivers with high negative points and many violations pay more. The
    # loading scale is not published: steps of 10 points, flagged for staff to replace.
    for points, label, pct in ((10, "۱۰", 10), (20, "۲۰", 20), (30, "۳۰", 30)):
        rows.append(
            (
                "third_party",
                "violation_loading",
                str(points),
                f"نمره منفی {label} و بیشتر",
                pct,
                True,
                NO_SOURCE + ": seed [003] names the surcharge for many violations; the scale is not published",
                False,
            )
        )
    rows += [
        (
            "third_party",
            "claims",
            "police_report_threshold",
            "سقف خسارت بدون نیاز به کروکی و گزارش پلیس",
            63_000_000,
            False,
            SEED_003 + ": «کم تر از ۶ میلیون و ۳۰۰ هزار تومان»",
            True,
        ),
        ("third_party", "insurer_bounds", "min_adjustment", "حداکثر تخفیف بیمه‌گر", -20, True, NO_SOURCE, False),
        ("third_party", "insurer_bounds", "max_adjustment", "حداکثر اضافه‌نرخ بیمه‌گر", 10, True, NO_SOURCE, False),
    ]

    # --- body -----------------------------------------------------------------------------
    rows += [
        (
            "body",
            "rate",
            "base",
            "نرخ پایه (درصد ارزش خودرو)",
            2,
            True,
            T + ": no central tariff, insurers charge about 2.0–2.15%; low end taken",
            False,
        ),
        ("body", "usage_loading", "personal", "شخصی", 0, False, T, False),
        ("body", "usage_loading", "taxi", "تاکسی", 50, False, T + ": older regulated tariff", False),
        ("body", "usage_loading", "rental", "کرایه و اجاره‌ای", 50, False, T + ": older regulated tariff", False),
        ("body", "usage_loading", "agency", "آژانس و تاکسی اینترنتی", 40, False, T + ": older regulated tariff", False),
        ("body", "usage_loading", "driving_school", "آموزش رانندگی", 40, False, T + ": older regulated tariff", False),
        # Seed [003] names governmental and diplomatic (سیاسی) usage among the body price
        # factors; no loading is published for them.
        ("body", "usage_loading", "government", "دولتی", 0, True, NO_SOURCE + ": seed [003] names the usage", False),
        ("body", "usage_loading", "diplomatic", "سیاسی", 0, True, NO_SOURCE + ": seed [003] names the usage", False),
        (
            "body",
            "engine_factor",
            "cyl_lt4",
            "کمتر از ۴ سیلندر",
            "0.9",
            True,
            NO_SOURCE + ": seeds [003][004] name cylinders as a factor; older tariff 1.2–2.6% by cylinders/value",
            False,
        ),
        ("body", "engine_factor", "cyl_4", "۴ سیلندر", 1, True, NO_SOURCE + ": the class of the base rate", False),
        (
            "body",
            "engine_factor",
            "cyl_gt4",
            "بیش از ۴ سیلندر",
            "1.2",
            True,
            NO_SOURCE + ": seeds [003][004] name cylinders as a factor; older tariff 1.2–2.6% by cylinders/value",
            False,
        ),
        (
            "body",
            "violation_loading",
            "10",
            "نمره منفی ۱۰ و بیشتر",
            10,
            True,
            NO_SOURCE + ": seed [004] names the driver's conduct as a factor; the scale is not published",
            False,
        ),
        (
            "body",
            "violation_loading",
            "20",
            "نمره منفی ۲۰ و بیشتر",
            20,
            True,
            NO_SOURCE + ": seed [004] names the driver's conduct as a factor; the scale is not published",
            False,
        ),
        (
            "body",
            "violation_loading",
            "30",
            "نمره منفی ۳۰ و بیشتر",
            30,
            True,
            NO_SOURCE + ": seed [004] names the driver's conduct as a factor; the scale is not published",
            False,
        ),
        ("body", "no_claim", "1", "یک سال بدون خسارت", 25, False, SEED_003 + "; " + SEED_004, False),
        ("body", "no_claim", "2", "دو سال بدون خسارت", 35, False, SEED_003 + "; " + SEED_004, False),
        ("body", "no_claim", "3", "سه سال بدون خسارت", 45, False, SEED_003 + "; " + SEED_004, False),
        ("body", "no_claim", "4", "چهار سال و بیشتر", 60, False, SEED_003 + "; " + SEED_004, False),
        ("body", "age", "loading_after_years", "اضافه‌نرخ از سال", 10, False, SEED_004, False),
        ("body", "age", "loading_per_year", "اضافه‌نرخ هر سال (درصد)", 5, False, SEED_004, False),
        ("body", "age", "max_years", "حداکثر عمر قابل بیمه", 20, False, SEED_004, False),
        ("body", "covers", "glass", "شکست شیشه", 5, False, T + ": one implementation", False),
        ("body", "covers", "parts_theft", "سرقت درجا (قطعات)", 10, False, T + ": one implementation, 10% level", False),
        (
            "body",
            "covers",
            "natural_disasters",
            "بلایای طبیعی (سیل، زلزله، آتشفشان)",
            5,
            False,
            T + ": one implementation",
            False,
        ),
        ("body", "covers", "chemicals", "پاشیدن رنگ، اسید و مواد شیمیایی", 5, False, T + ": one implementation", False),
        (
            "body",
            "covers",
            "price_fluctuation",
            "نوسان قیمت بازار",
            15,
            False,
            T + ": one implementation (25% level)",
            False,
        ),
        ("body", "covers", "transit", "ترانزیت (خارج از کشور)", 5, False, T + ": one implementation", False),
        ("body", "covers", "deductible_removal", "حذف فرانشیز", 10, True, NO_SOURCE, False),
        ("body", "covers", "loss_of_use", "غرامت عدم استفاده در ایام تعمیر", 5, True, NO_SOURCE, False),
        ("body", "price_fluctuation", "25", "تا ۲۵ درصد", 15, False, T, False),
        ("body", "price_fluctuation", "50", "تا ۵۰ درصد", 25, False, T, False),
        ("body", "price_fluctuation", "100", "تا ۱۰۰ درصد", 40, False, T, False),
        ("body", "discount_cap", "max_total_percent", "سقف مجموع تخفیف‌ها", 70, False, T, False),
        ("body", "insurer_bounds", "min_adjustment", "حداکثر تخفیف بیمه‌گر", -15, True, NO_SOURCE, False),
        ("body", "insurer_bounds", "max_adjustment", "حداکثر اضافه‌نرخ بیمه‌گر", 15, True, NO_SOURCE, False),
    ]

    # --- fire -------------------------------------------------------------------------------
    rows += [
        (
            "fire",
            "base_rate",
            "residential",
            "مسکونی",
            "0.11",
            False,
            T + ": one implementation, 0.11 per mille",
            False,
        ),
        ("fire", "base_rate", "commercial", "تجاری و اداری", "0.5", True, NO_SOURCE, False),
        ("fire", "base_rate", "industrial", "صنعتی", "1.5", True, NO_SOURCE, False),
        (
            "fire",
            "construction_factor",
            "concrete",
            "بتنی",
            1,
            True,
            NO_SOURCE + " (rates by construction type)",
            False,
        ),
        ("fire", "construction_factor", "steel", "اسکلت فلزی", 1, True, NO_SOURCE, False),
        ("fire", "construction_factor", "brick", "آجری و بنایی", "1.25", True, NO_SOURCE, False),
        ("fire", "construction_factor", "mixed", "خشتی، چوبی یا مختلط", "1.5", True, NO_SOURCE, False),
        (
            "fire",
            "construction_cost",
            "per_m2",
            "هزینه ساخت هر متر مربع",
            150_000_000,
            True,
            NO_SOURCE + ": 1402 costs 5.3–10M toman/m2, Tehran 1404 about 30M; 15M toman taken",
            True,
        ),
        (
            "fire",
            "inspection",
            "capital_threshold",
            "سرمایه نیازمند بازدید (بیش از)",
            1_000_000_000,
            False,
            SEED_004 + ": 100 million toman",
            False,
        ),
        ("fire", "inspection_covers", "theft", "سرقت", 1, False, SEED_004, False),
        ("fire", "inspection_covers", "pipe_burst", "ترکیدگی لوله آب", 1, False, SEED_004, False),
        ("fire", "inspection_covers", "glass", "شکست شیشه", 1, False, SEED_004, False),
        ("fire", "inspection_property_types", "industrial", "صنعتی", 1, False, SEED_004, False),
        ("fire", "installments", "min_down_percent", "حداقل پیش‌پرداخت (درصد)", 30, False, SEED_004, False),
        ("fire", "installments", "max_count", "حداکثر تعداد اقساط", 8, False, SEED_004, False),
        ("fire", "insurer_bounds", "min_adjustment", "حداکثر تخفیف بیمه‌گر", -30, True, NO_SOURCE, False),
        ("fire", "insurer_bounds", "max_adjustment", "حداکثر اضافه‌نرخ بیمه‌گر", 30, True, NO_SOURCE, False),
    ]
    # Seed [003]: a home's fire price depends on its area, contents and region. No public
    # per-province rates exist: every factor is 1 (flagged) until staff enter real ones;
    # where a regional figure is published (Tehran's construction cost) it is used.
    for code, label in PROVINCES:
        rows.append(
            (
                "fire",
                "region_factor",
                code,
                label,
                1,
                True,
                NO_SOURCE + ": seed [003] names the region as a price factor but no per-province rate is published",
                False,
            )
        )
    rows.append(
        (
            "fire",
            "construction_cost_by_region",
            "tehran",
            "هزینه ساخت هر متر مربع — تهران",
            300_000_000,
            False,
            T + ": Tehran 1404 about 30M toman/m2",
            True,
        )
    )
    fire_covers = [
        ("earthquake", "زلزله و آتشفشان", "4.5", False),
        ("flood", "سیل و طغیان آب", 2, False),
        ("storm", "طوفان", 2, False),
        ("pipe_burst", "ترکیدگی لوله آب", 2, False),
        ("rain_snow", "ضایعات آب باران و ذوب برف", 2, False),
        ("snow_weight", "سنگینی برف", 2, False),
        ("avalanche", "سقوط بهمن", 4, False),
        ("landslide", "رانش و نشست زمین", "10.95", False),
        ("aircraft", "سقوط هواپیما و قطعات آن", "0.1", True),
        ("riot", "آشوب، بلوا و اغتشاش", "0.5", True),
        ("debris_removal", "هزینه پاکسازی و برداشت ضایعات", "0.2", True),
        ("impact", "برخورد جسم خارجی", "0.2", True),
        ("glass", "شکست شیشه", 1, True),
        ("theft", "سرقت با شکست حرز", 3, True),
        ("well_collapse", "ریزش و فروکش کردن چاه", "0.5", True),
        ("electrical_fluctuation", "نوسانات برق", 1, True),
        ("neighbour_liability", "مسئولیت در برابر همسایگان", "0.5", True),
    ]
    for code, label, multiplier, assumed in fire_covers:
        source = NO_SOURCE if assumed else T + ": one implementation, multiple of the base"
        rows.append(("fire", "covers", code, label, multiplier, assumed, source, False))

    # --- travel -------------------------------------------------------------------------------
    zones = [
        ("schengen", "اروپا (شینگن)", [421, 821, 972, 1015, 1566, 1771, 2538, 4720, 7992]),
        ("usa_canada", "آمریکا و کانادا", [632, 1232, 1457, 1523, 2349, 2647, 3818, 7073, 11989]),
        ("world", "سراسر جهان به جز آمریکا، کانادا و ژاپن", [442, 862, 1021, 1066, 1644, 1852, 2672, None, None]),
    ]
    bands = [7, 15, 23, 31, 45, 62, 92, 183, 365]
    for zone, label, prices in zones:
        rows.append(("travel", "zone", zone, label, 1, False, T, False))
        for band, price in zip(bands, prices, strict=True):
            if price is None:
                # No published long-term price for this zone: Schengen's, scaled by the
                # zones' ratio at 63–92 days.
                schengen = dict(zip(bands, zones[0][2], strict=True))
                price = round(schengen[band] * 2672 / 2538)
                rows.append(
                    (
                        "travel",
                        "price",
                        f"{zone}:{band}",
                        f"{label} — تا {band} روز",
                        price * 1000,
                        True,
                        NO_SOURCE + ": Schengen price × 2672/2538",
                        True,
                    )
                )
            else:
                rows.append(
                    (
                        "travel",
                        "price",
                        f"{zone}:{band}",
                        f"{label} — تا {band} روز",
                        price * 1000,
                        False,
                        T + ": older prices, ages 13–65, EUR 50k",
                        True,
                    )
                )
    rows += [
        (
            "travel",
            "price_index",
            "value",
            "ضریب به‌روزرسانی نرخ‌های قدیمی",
            35,
            True,
            NO_SOURCE
            + ": the published prices predate the currency moves; ×35 brings a week in Schengen to about 1.5M toman",
            True,
        ),
        ("travel", "coverage", "10000", "۱۰٬۰۰۰ یورو", "0.8", True, NO_SOURCE, False),
        ("travel", "coverage", "30000", "۳۰٬۰۰۰ یورو", "0.9", False, T, False),
        ("travel", "coverage", "50000", "۵۰٬۰۰۰ یورو", 1, False, T, False),
        ("travel", "trip_type", "single", "تک‌سفره", 1, False, SEED_004, False),
        (
            "travel",
            "trip_type",
            "multiple",
            "چندسفره (یک سال از نخستین خروج)",
            1,
            True,
            NO_SOURCE + ": priced as the one-year band",
            False,
        ),
        (
            "travel",
            "trip_type",
            "student",
            "دانشجویی (شش یا دوازده ماه)",
            1,
            True,
            NO_SOURCE + ": priced as the 6-month or one-year band",
            False,
        ),
        ("travel", "trip", "single_max_days", "حداکثر مدت سفر تک‌سفره", 92, False, SEED_004, False),
        ("travel", "age", "12", "تا ۱۲ سال", "0.5", False, T, False),
        ("travel", "age", "65", "۱۳ تا ۶۵ سال", 1, False, T, False),
        ("travel", "age", "70", "۶۶ تا ۷۰ سال", "1.5", False, T, False),
        ("travel", "age", "75", "۷۱ تا ۷۵ سال", 2, False, T, False),
        ("travel", "age", "80", "۷۶ تا ۸۰ سال", 3, False, T, False),
        ("travel", "age", "120", "۸۱ سال و بیشتر", 4, False, T, False),
        ("travel", "insurer_bounds", "min_adjustment", "حداکثر تخفیف بیمه‌گر", -15, True, NO_SOURCE, False),
        ("travel", "insurer_bounds", "max_adjustment", "حداکثر اضافه‌نرخ بیمه‌گر", 15, True, NO_SOURCE, False),
    ]
    for code, label, zone, source in TRAVEL_COUNTRIES:
        rows.append(("travel", "country", f"{code}:{zone}", label, 1, source != T, source, False))

    # --- electronics ----------------------------------------------------------------------------
    rows += [
        ("electronics", "rate", "mobile", "گوشی همراه", "6.5", False, T + ": mobile phones about 6–7%", False),
        ("electronics", "rate", "tablet", "تبلت", 5, True, NO_SOURCE, False),
        ("electronics", "rate", "laptop", "لپ‌تاپ", "2.5", True, NO_SOURCE, False),
        ("electronics", "rate", "console", "کنسول بازی", "1.5", True, NO_SOURCE, False),
        ("electronics", "rate", "smartwatch", "ساعت هوشمند", 6, True, NO_SOURCE, False),
        ("electronics", "rate", "desktop", "رایانه رومیزی", 1, False, T + ": computers 1%", False),
        ("electronics", "limits", "min_value", "حداقل ارزش دستگاه", 10_000_000, True, NO_SOURCE, True),
        ("electronics", "limits", "max_value", "حداکثر ارزش دستگاه", 5_000_000_000, True, NO_SOURCE, True),
        ("electronics", "insurer_bounds", "min_adjustment", "حداکثر تخفیف بیمه‌گر", -15, True, NO_SOURCE, False),
        ("electronics", "insurer_bounds", "max_adjustment", "حداکثر اضافه‌نرخ بیمه‌گر", 15, True, NO_SOURCE, False),
    ]
    return rows


def tariff_rows(solar_year: int) -> list[dict]:
    """The rows of one year; 1404 as researched, later years carried over and flagged."""
    carried = solar_year > 1404
    result = []
    for order, (line, table, key, label, value, assumed, source, yearly) in enumerate(_rows()):
        if carried and yearly:
            assumed = True
            source = f"carried over from 1404 until the {solar_year} figures are published; {source}"
            if (line, table, key) == ("general", "tax", "vat"):
                source += " (12% proposed for 1405)"
        result.append(
            {
                "line": line,
                "table": table,
                "key": key,
                "label": label,
                "value": Decimal(str(value)),
                "is_assumption": assumed,
                "source": source[:300],
                "order": order,
            }
        )
    return result


def solar_year_bounds(solar_year: int) -> tuple[dt.date, dt.date]:
    start = jdatetime.date(solar_year, 1, 1).togregorian()
    end = jdatetime.date(solar_year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return start, end


# Insurers' adjustments: no public per-insurer figures; a fixed spread of −5%…+5% per
# line, different for each insurer, so that comparisons show distinct prices.
def insurer_adjustment(insurer_index: int, line_index: int) -> Decimal:
    return Decimal((insurer_index * 7 + line_index * 3) % 11 - 5)


QUOTABLE_LINES = list(lines.QUOTABLE_LINES)

# --- instalment plans per insurer (issue 14 point 4) -------------------------------------------
# TARIFFS.md has no per-insurer instalment figure for body or third party: the plans below
# are plausible market terms (body 25–40% down and 4–6 monthly instalments; third party
# 40–50% down and 2–4 monthly, a third of the insurers cash only), every row flagged as an
# assumption for staff to replace with each insurer's real plan.
INSTALLMENT_SOURCE = NO_SOURCE + ": TARIFFS.md has no per-insurer instalment plan; plausible market terms"


def insurer_installment_plan(line: str, insurer_index: int) -> tuple[int, int, int]:
    """(minimum down payment %, instalments, months between) of the reference data; 0 instalments = cash only."""
    if line == "body":
        return (25, 30, 35, 40)[insurer_index % 4], (4, 5, 6)[insurer_index % 3], 1
    if insurer_index % 3 == 0:
        return 0, 0, 1
    return (40, 50)[insurer_index % 2], (2, 3, 4)[insurer_index % 3], 1


def installment_rows(insurers: list[tuple[str, str]]) -> list[dict]:
    """The per-insurer instalment tables of body and third party for (code, name) insurers."""
    rows = []
    order = 1000  # after the line's other tables
    for line in (lines.LineCode.BODY.value, lines.LineCode.THIRD_PARTY.value):
        for index, (code, name) in enumerate(insurers):
            down, count, spacing = insurer_installment_plan(line, index)
            for table, label, value in (
                ("installment_down_percent", "حداقل پیش‌پرداخت (درصد)", down),
                ("installment_count", "تعداد اقساط (۰ یعنی فقط نقدی)", count),
                ("installment_spacing_months", "فاصله اقساط (ماه)", spacing),
            ):
                order += 1
                rows.append(
                    {
                        "line": line,
                        "table": table,
                        "key": code,
                        "label": f"{name} — {label}",
                        "value": Decimal(value),
                        "is_assumption": True,
                        "source": INSTALLMENT_SOURCE,
                        "order": order,
                    }
                )
    return rows


# --- the car catalogue (issue 14 point 5) -----------------------------------------------------
# Common cars of the Iranian market: (code, make, model, kind, cylinders, third-party tariff
# group, body engine class). The group follows the Central Insurance tariff's classes
# (Pride and Paykan have their own; cars by cylinders; pickups by load; motorcycles by
# cylinders); motorcycles have no body engine class (the body tariff prices cars).
CAR = "car"
PICKUP = "pickup"
MOTORCYCLE = "motorcycle"
CARS: list[tuple[str, str, str, str, int, str, str]] = [
    ("ikco_peugeot_206", "ایران‌خودرو", "پژو ۲۰۶", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_peugeot_207", "ایران‌خودرو", "پژو ۲۰۷", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_peugeot_405", "ایران‌خودرو", "پژو ۴۰۵", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_peugeot_pars", "ایران‌خودرو", "پژو پارس", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_samand", "ایران‌خودرو", "سمند", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_soren", "ایران‌خودرو", "سورن", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_dena", "ایران‌خودرو", "دنا", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_dena_plus", "ایران‌خودرو", "دنا پلاس", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_runna", "ایران‌خودرو", "رانا", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_tara", "ایران‌خودرو", "تارا", CAR, 4, "car_4cyl", "cyl_4"),
    ("ikco_paykan", "ایران‌خودرو", "پیکان", CAR, 4, "pride_peykan", "cyl_4"),
    ("ikco_arisun", "ایران‌خودرو", "وانت آریسان", PICKUP, 4, "pickup_1t", "cyl_4"),
    ("saipa_pride_111", "سایپا", "پراید ۱۱۱", CAR, 4, "pride_peykan", "cyl_4"),
    ("saipa_pride_131", "سایپا", "پراید ۱۳۱", CAR, 4, "pride_peykan", "cyl_4"),
    ("saipa_pride_132", "سایپا", "پراید ۱۳۲", CAR, 4, "pride_peykan", "cyl_4"),
    ("saipa_pride_151", "سایپا", "وانت پراید ۱۵۱", PICKUP, 4, "pickup_1t", "cyl_4"),
    ("saipa_tiba", "سایپا", "تیبا", CAR, 4, "car_4cyl", "cyl_4"),
    ("saipa_tiba_2", "سایپا", "تیبا ۲", CAR, 4, "car_4cyl", "cyl_4"),
    ("saipa_saina", "سایپا", "ساینا", CAR, 4, "car_4cyl", "cyl_4"),
    ("saipa_quick", "سایپا", "کوییک", CAR, 4, "car_4cyl", "cyl_4"),
    ("saipa_shahin", "سایپا", "شاهین", CAR, 4, "car_4cyl", "cyl_4"),
    ("zamyad_z24", "زامیاد", "وانت زامیاد Z24", PICKUP, 4, "pickup_3t", "cyl_4"),
    ("zamyad_nissan_junior", "زامیاد", "وانت نیسان جونیور", PICKUP, 4, "pickup_3t", "cyl_4"),
    ("mvm_110", "مدیران خودرو (MVM)", "ام‌وی‌ام ۱۱۰ (سه سیلندر)", CAR, 3, "car_lt4cyl", "cyl_lt4"),
    ("mvm_315", "مدیران خودرو (MVM)", "ام‌وی‌ام ۳۱۵", CAR, 4, "car_4cyl", "cyl_4"),
    ("mvm_x22", "مدیران خودرو (MVM)", "ام‌وی‌ام X22", CAR, 4, "car_4cyl", "cyl_4"),
    ("mvm_x33", "مدیران خودرو (MVM)", "ام‌وی‌ام X33", CAR, 4, "car_4cyl", "cyl_4"),
    ("chery_tiggo_7", "چری", "تیگو ۷", CAR, 4, "car_4cyl", "cyl_4"),
    ("chery_tiggo_8_pro", "چری", "تیگو ۸ پرو", CAR, 4, "car_4cyl", "cyl_4"),
    ("chery_arrizo_5", "چری", "آریزو ۵", CAR, 4, "car_4cyl", "cyl_4"),
    ("renault_tondar_90", "رنو", "تندر ۹۰", CAR, 4, "car_4cyl", "cyl_4"),
    ("renault_sandero", "رنو", "ساندرو", CAR, 4, "car_4cyl", "cyl_4"),
    ("renault_duster", "رنو", "داستر", CAR, 4, "car_4cyl", "cyl_4"),
    ("kia_cerato", "کیا", "سراتو", CAR, 4, "car_4cyl", "cyl_4"),
    ("kia_sportage", "کیا", "اسپورتیج", CAR, 4, "car_4cyl", "cyl_4"),
    ("kia_sorento_v6", "کیا", "سورنتو (شش سیلندر)", CAR, 6, "car_gt4cyl", "cyl_gt4"),
    ("hyundai_elantra", "هیوندای", "النترا", CAR, 4, "car_4cyl", "cyl_4"),
    ("hyundai_tucson", "هیوندای", "توسان", CAR, 4, "car_4cyl", "cyl_4"),
    ("hyundai_azera", "هیوندای", "آزرا (شش سیلندر)", CAR, 6, "car_gt4cyl", "cyl_gt4"),
    ("toyota_corolla", "تویوتا", "کرولا", CAR, 4, "car_4cyl", "cyl_4"),
    ("toyota_camry", "تویوتا", "کمری", CAR, 4, "car_4cyl", "cyl_4"),
    ("toyota_prado", "تویوتا", "پرادو (شش سیلندر)", CAR, 6, "car_gt4cyl", "cyl_gt4"),
    ("toyota_land_cruiser", "تویوتا", "لندکروزر (هشت سیلندر)", CAR, 8, "car_gt4cyl", "cyl_gt4"),
    ("honda_cg125", "موتورسیکلت", "هوندا ۱۲۵", MOTORCYCLE, 1, "motorcycle_1cyl", ""),
    ("yamaha_ybr125", "موتورسیکلت", "یاماها YBR ۱۲۵", MOTORCYCLE, 1, "motorcycle_1cyl", ""),
    ("bajaj_pulsar_180", "موتورسیکلت", "باجاج پالسار ۱۸۰", MOTORCYCLE, 1, "motorcycle_1cyl", ""),
    ("benelli_300", "موتورسیکلت", "بنلی ۳۰۰ (دو سیلندر)", MOTORCYCLE, 2, "motorcycle_2cyl", ""),
]


def load_reference_cars(CarModel):  # noqa: N803
    """Idempotent: adds the catalogue's missing cars by code, never overwrites staff edits."""
    existing = set(CarModel.objects.values_list("code", flat=True))
    CarModel.objects.bulk_create(
        [
            CarModel(
                code=code,
                make=make,
                name=name,
                kind=kind,
                cylinders=cylinders,
                third_party_group=group,
                body_engine_class=engine_class,
                order=order,
            )
            for order, (code, make, name, kind, cylinders, group, engine_class) in enumerate(CARS, start=1)
            if code not in existing
        ]
    )


def load_reference_tariffs(Tariff, TariffRate, InsurerLineTerms, Insurer, years=(1404, 1405)):  # noqa: N803
    """Idempotent: creates missing tariffs/rates/terms, never overwrites staff edits."""
    for year in years:
        start, end = solar_year_bounds(year)
        tariff, _created = Tariff.objects.get_or_create(
            solar_year=year,
            defaults={
                "effective_from": start,
                "effective_until": end,
                "note": "Loaded from TARIFFS.md and seeds [003][004]; see docs/PRICING.md.",
            },
        )
        existing = set(TariffRate.objects.filter(tariff=tariff).values_list("line", "table", "key"))
        insurers = list(Insurer.objects.order_by("order", "code").values_list("code", "name"))
        TariffRate.objects.bulk_create(
            [
                TariffRate(tariff=tariff, **row)
                for row in [*tariff_rows(year), *installment_rows(insurers)]
                if (row["line"], row["table"], row["key"]) not in existing
            ]
        )
    existing_terms = set(InsurerLineTerms.objects.values_list("insurer_id", "line"))
    new_terms = []
    for index, insurer in enumerate(Insurer.objects.order_by("order", "code")):
        for line_index, line in enumerate(QUOTABLE_LINES):
            if (insurer.pk, line) in existing_terms:
                continue
            new_terms.append(
                InsurerLineTerms(
                    insurer=insurer,
                    line=line,
                    is_available=True,
                    adjustment_percent=insurer_adjustment(index, line_index),
                    is_assumption=True,
                    note="no public per-insurer figure; placeholder spread",
                )
            )
    InsurerLineTerms.objects.bulk_create(new_terms)
    # The car catalogue arrived with migration 0008; earlier states of the app (an older
    # data migration replayed) have no such model yet.
    try:
        car_model = Tariff._meta.apps.get_model("pricing", "CarModel")
    except LookupError:
        return
    load_reference_cars(car_model)
