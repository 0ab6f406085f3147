"""Claim rules of the source documents: filing deadlines, required documents, causes.

Pure data and functions; `claims.payout` holds the payout estimator.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from insurers.lines import LineCode

FIRE, BODY, THIRD_PARTY, TRAVEL, ELECTRONICS, OTHER = (
    LineCode.FIRE.value,
    LineCode.BODY.value,
    LineCode.THIRD_PARTY.value,
    LineCode.TRAVEL.value,
    LineCode.ELECTRONICS.value,
    LineCode.OTHER.value,
)


@dataclass(frozen=True)
class Cause:
    code: str
    label: str
    # Days within which the loss must be reported; None when the documents set no deadline.
    deadline_days: int | None = None


# [004] fire: the additional risks are outside the insurer's commitment unless the policy states
# them; a claim names its peril, and filing checks it against the covers in force that day. The
# codes are those of the fire tariff's covers. The generic "additional_risk" stays for a peril
# the insured cannot name yet (filing then only checks that some additional cover was in force).
FIRE_PERIL_CAUSES = (
    Cause("earthquake", _("زلزله و آتشفشان"), 30),
    Cause("flood", _("سیل و طغیان آب"), 30),
    Cause("storm", _("طوفان"), 30),
    Cause("pipe_burst", _("ترکیدگی لوله آب"), 30),
    Cause("rain_snow", _("ضایعات آب باران و ذوب برف"), 30),
    Cause("snow_weight", _("سنگینی برف"), 30),
    Cause("avalanche", _("سقوط بهمن"), 30),
    Cause("landslide", _("رانش و نشست زمین"), 30),
    Cause("well_collapse", _("ریزش و فروکش کردن چاه"), 30),
    Cause("aircraft", _("سقوط هواپیما و قطعات آن"), 30),
    Cause("riot", _("آشوب، بلوا و اغتشاش"), 30),
    Cause("impact", _("برخورد جسم خارجی"), 30),
    Cause("glass", _("شکست شیشه"), 30),
    Cause("theft", _("سرقت با شکست حرز"), 30),
    Cause("electrical_fluctuation", _("نوسان برق بدون آتش‌سوزی"), 30),
    Cause("neighbour_liability", _("مسئولیت در برابر همسایگان"), 30),
)
FIRE_PERILS = frozenset(cause.code for cause in FIRE_PERIL_CAUSES)

# Causes per line; the deadline of each [001][003][004]:
# fire within one month; car damage other than bodily within 5 days; travel
# hospitalisation within 5 days.
CAUSES: dict[str, tuple[Cause, ...]] = {
    FIRE: (
        Cause("fire", _("آتش‌سوزی"), 30),
        Cause("lightning", _("صاعقه"), 30),
        Cause("explosion", _("انفجار"), 30),
        *FIRE_PERIL_CAUSES,
        Cause("additional_risk", _("یکی از خطرهای اضافی (زلزله، سیل، ترکیدگی لوله، سرقت…)"), 30),
    ),
    BODY: (
        Cause("partial", _("خسارت جزئی (تصادف یا آتش‌سوزی)"), 5),
        # The customer may think the car is a total loss; the assessment decides (see is_total_loss).
        Cause("total_loss", _("خسارت کلی (به تشخیص ارزیاب)"), 5),
        Cause("theft", _("سرقت جزئی (لوازم و قطعات خودرو؛ با پوشش سرقت درجا)"), 5),
        Cause("vehicle_theft", _("سرقت کلی خودرو"), 5),
        Cause("glass", _("شکست شیشه به تنهایی (با پوشش شکست شیشه)"), 5),
        Cause("natural_disaster", _("بلایای طبیعی: سیل، زلزله، آتشفشان (با پوشش آن)"), 5),
        Cause("chemicals", _("پاشیدن رنگ، اسید و مواد شیمیایی (با پوشش آن)"), 5),
        # [004] a loss abroad is claimed under the transit cover, with its own documents.
        Cause("transit", _("خسارت در خارج از کشور (پوشش ترانزیت)"), 5),
    ),
    THIRD_PARTY: (
        Cause("property", _("خسارت مالی به شخص ثالث"), 5),
        Cause("bodily", _("خسارت بدنی (دیه و درمان)"), None),
        # [003][004] the driver-accident cover of the policy: the at-fault driver's own bodily
        # loss (every injury since the newer law, treatment included); a cause of its own.
        Cause("driver_accident", _("حوادث راننده: آسیب بدنی راننده مقصر (فقط خسارت جانی)"), None),
    ),
    TRAVEL: (
        Cause("hospitalisation", _("بستری در بیمارستان"), 5),
        Cause("outpatient", _("درمان سرپایی"), None),
        Cause("baggage", _("تأخیر یا گم‌شدن بار"), None),
        Cause("documents", _("سرقت یا گم‌شدن مدارک"), None),
        # [003] the rest of the travel policy's covers, each a claim of its own.
        Cause("dental", _("فوریت‌های دندان‌پزشکی"), None),
        Cause("medical_transfer", _("انتقال پزشکی یا بازگرداندن بیمار به ایران"), None),
        Cause("family_return", _("بازگرداندن اعضای خانواده به کشور"), None),
        Cause("family_escort", _("سفر اضطراری یکی از اعضای خانواده برای همراهی بیمار"), None),
        Cause("repatriation", _("بازگرداندن جسد متوفی به ایران"), None),
    ),
    ELECTRONICS: (
        Cause("breakage", _("شکستگی و ضربه"), None),
        Cause("liquid", _("نفوذ مایعات"), None),
        Cause("voltage", _("نوسان برق"), None),
        Cause("theft", _("سرقت با شکست حرز"), None),
        Cause("natural_disaster", _("بلایای طبیعی"), None),
        Cause("fire", _("آتش‌سوزی"), None),
    ),
    OTHER: (Cause("other", _("سایر"), None),),
}

FIRE_MAIN_CAUSES = frozenset({"fire", "lightning", "explosion"})

# [004] body: the main risks (collision, overturn, fall, fire, whole theft) are in every policy;
# the secondary risks are paid only when their cover was bought and in force on the day.
BODY_COVER_FOR_CAUSE = {
    "theft": "parts_theft",
    "glass": "glass",
    "natural_disaster": "natural_disasters",
    "chemicals": "chemicals",
}
# [004] fire: debris removal is paid only when its cover was bought, up to the amount the policy
# states for it (policy.params["debris_removal_sum"], rial, when recorded).
DEBRIS_REMOVAL_COVER = "debris_removal"
DEBRIS_REMOVAL_SUM_PARAM = "debris_removal_sum"

# [004] the deductible-removal cover (پوشش حذف فرانشیز) takes the body deductible away.
DEDUCTIBLE_REMOVAL_COVER = "deductible_removal"
BODY_THEFT_CAUSES = frozenset({"theft", "vehicle_theft"})
VEHICLE_THEFT = "vehicle_theft"

# [004] a body loss is total when repairing and replacing the damaged parts costs more than
# 75% of the sum insured. The assessed repair cost decides, never the cause picked at filing.
TOTAL_LOSS_REPAIR_PERCENT = 75
# [004] a stolen car is settled as a total theft only if not found within 60 days of the
# theft being reported to the police and the judiciary.
VEHICLE_THEFT_WAIT_DAYS = 60


def is_total_loss(*, repair_cost: int, sum_insured: int) -> bool:
    """Repair above 75% of the sum insured is a total loss [004]."""
    return sum_insured > 0 and repair_cost * 100 > sum_insured * TOTAL_LOSS_REPAIR_PERCENT


TOTAL, PARTIAL, THEFT = "total", "partial", "theft"


def body_loss_kind(*, line: str, cause: str, repair_cost: int, sum_insured: int) -> str:
    """How a body loss is settled: theft by its cause, otherwise total or partial by the
    assessed repair cost alone [004]. Empty for the other lines."""
    if line != BODY:
        return ""
    if cause in BODY_THEFT_CAUSES:
        return THEFT
    return TOTAL if is_total_loss(repair_cost=repair_cost, sum_insured=sum_insured) else PARTIAL


def vehicle_theft_problem(
    *, reported_on: dt.date | None, found_on: dt.date | None, title_transferred_on: dt.date | None, today: dt.date
) -> tuple[str, str] | None:
    """Why a whole-car theft cannot be settled yet, as (field, message), or None [004]."""
    if found_on is not None:
        return "vehicle_found_on", str(_("خودروی سرقت‌شده پیش از پرداخت پیدا شده است؛ خسارت سرقت کلی پرداخت نمی‌شود."))
    if reported_on is None or today < vehicle_theft_settles_on(reported_on):
        return "theft_reported_on", str(
            _("خسارت سرقت کلی خودرو فقط وقتی پرداخت می‌شود که خودرو تا ۶۰ روز پس از اعلام سرقت به پلیس پیدا نشود.")
        )
    if title_transferred_on is None:
        return "title_transferred_on", str(
            _("دریافت خسارت سرقت کلی خودرو منوط به انتقال سند خودرو به شرکت بیمه‌گر است.")
        )
    return None


def theft_deductible_percent(assessment: dict) -> int:
    """The deductible the insured bore on a theft (20% [004]), as stored with the assessment."""
    return int(float(assessment.get("deductible_percent") or 20))


def vehicle_theft_settles_on(reported_on: dt.date) -> dt.date:
    """The first day a car stolen and reported on `reported_on` counts as not found [004]."""
    return reported_on + dt.timedelta(days=VEHICLE_THEFT_WAIT_DAYS + 1)


# [004] the insurer pays the third party unconditionally, then recovers 1% of the bodily and
# 2% of the property losses paid from the driver at fault when the traffic expert's report
# names one of the accident-causing violations as the main cause.
DRIVER_RECOVERY_PERCENT = {"bodily": 1, "property": 2}

# The accident-causing violations (تخلفات حادثه‌ساز) of the traffic regulation the source
# refers to; data, not logic: the recovery applies to any of them alike.
DRIVER_VIOLATIONS: dict[str, str] = {
    "speeding": _("سرعت غیرمجاز"),
    "illegal_overtaking": _("سبقت غیرمجاز"),
    "red_light": _("عبور از چراغ قرمز"),
    "wrong_way": _("حرکت خلاف جهت"),
    "left_deviation": _("انحراف به چپ"),
    "right_of_way": _("عدم رعایت حق تقدم"),
    "illegal_u_turn": _("دور زدن غیرمجاز"),
    "unsafe_distance": _("عدم رعایت فاصله طولی"),
    "inattention": _("عدم توجه به جلو"),
}


# [004] intent proved by the courts, drunk or drugged driving, or no (or the wrong) licence: the
# insurer pays the injured party without guarantee, then may recover all or part of what it
# paid from the driver. Recorded as the whole amount paid, the most the insurer may claim.
DRIVER_FULL_RECOVERY_GROUNDS: dict[str, str] = {
    "intent": _("عمد راننده در ایجاد حادثه (به حکم مراجع قضائی)"),
    "intoxication": _("رانندگی در حالت مستی یا با مصرف مواد مخدر یا روانگردان"),
    "no_licence": _("راننده مسبب فاقد گواهینامه"),
    "wrong_licence": _("گواهینامه نامتناسب با نوع وسیله نقلیه"),
}


def driver_fault_label(code: str) -> str:
    return str(DRIVER_VIOLATIONS.get(code) or DRIVER_FULL_RECOVERY_GROUNDS.get(code) or "")


def driver_recovery(*, cause: str, paid: int, violation: str) -> int:
    """What the insurer may recover from the driver at fault for a paid third-party loss."""
    if not violation:
        return 0
    if violation in DRIVER_FULL_RECOVERY_GROUNDS:
        return max(int(paid), 0)
    percent = DRIVER_RECOVERY_PERCENT["bodily" if cause == "bodily" else "property"]
    return max(int(paid), 0) * percent // 100


# [004] the diyeh of a death is a third higher when both the accident and the death fall in
# the sacred months (ماه‌های حرام): Muharram, Rajab, Dhu al-Qa'dah, Dhu al-Hijjah (lunar Hijri).
HARAM_MONTHS = frozenset({1, 7, 11, 12})
_ISLAMIC_EPOCH = 1948439.5  # Julian day of 1 Muharram 1 AH (civil reckoning)


def hijri_date(day: dt.date) -> tuple[int, int, int]:
    """The lunar Hijri (year, month, day) of a Gregorian day, by the tabular (arithmetic)
    calendar. The month Iran announces by sighting may begin a day earlier or later: the
    assessor can override the result on the claim (`haram_months`)."""

    def start(year: int, month: int) -> float:
        return math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + math.floor((3 + 11 * year) / 30) + _ISLAMIC_EPOCH

    jd = math.floor(day.toordinal() + 1721424.5) + 0.5
    year = math.floor((30 * (jd - _ISLAMIC_EPOCH) + 10646) / 10631)
    month = min(12, math.ceil((jd - (29 + start(year, 1))) / 29.5) + 1)
    return year, month, int(jd - start(year, month)) + 1


def in_haram_months(*, occurred_on: dt.date, died_on: dt.date) -> bool:
    """Both the accident and the death in sacred months [004]."""
    return hijri_date(occurred_on)[1] in HARAM_MONTHS and hijri_date(died_on)[1] in HARAM_MONTHS


def haram_month_increase(diyeh: int) -> int:
    """The third added to a diyeh in the sacred months [004], in whole rials."""
    return max(int(diyeh), 0) // 3


# [003] the driver-accident cover pays bodily losses only («فقط و فقط زیان های جانی»): a
# property loss of the at-fault driver (the car, what was in it) is never claimed under it.
DRIVER_ACCIDENT = "driver_accident"
DRIVER_ACCIDENT_PROPERTY = "driver_property"
REFUSED_CAUSES: dict[str, dict[str, str]] = {
    THIRD_PARTY: {
        DRIVER_ACCIDENT_PROPERTY: _(
            "بیمه حوادث راننده فقط زیان‌های جانی راننده مقصر را جبران می‌کند و در برابر زیان‌های مالی "
            "(خودرو یا اموال راننده مقصر) هیچ مسئولیتی ندارد."
        ),
    },
}


def refused_cause_message(line: str, code: str) -> str:
    """The rule that refuses a cause a customer may ask for but the line never pays, or ""."""
    return str(REFUSED_CAUSES.get(line, {}).get(code, ""))


@dataclass(frozen=True)
class Exclusion:
    """A reason the source puts outside the cover, recorded by the assessor on a claim."""

    code: str
    label: str
    # [003] electronics: some events void the device's policy, not only the claim.
    voids_policy: bool = False
    # The exclusion yields when this cover (a tariff cover code) was bought and in force.
    unless_cover: str = ""


# [004] body exclusions («استثنائات بیمه بدنه»). Racing and carrying flammables are also named
# among the secondary risks, but the tariff sells no cover for them: `unless_cover` names the
# code such a cover would carry. Earthquake, flood and volcano are paid with their cover.
# [003] electronics: items 2 and 4 of the payment conditions void the device's policy; item 3
# (warranty defects, software, damage in transit) is out of cover: the claim only is refused.
EXCLUSIONS: dict[str, tuple[Exclusion, ...]] = {
    BODY: (
        Exclusion("intent", _("خسارت ناشی از عمد بیمه‌گذار")),
        Exclusion("no_matching_licence", _("نداشتن گواهینامه رانندگی متناسب با وسیله نقلیه")),
        Exclusion("alcohol_drugs", _("حادثه ناشی از شرب خمر و استعمال مواد مخدر")),
        Exclusion(
            "racing",
            _("خسارت در جریان مسابقات اتومبیل‌رانی، شرط‌بندی، آزمایش سرعت یا آموزش رانندگی"),
            unless_cover="racing",
        ),
        Exclusion("cargo", _("خسارت وارد به کالاها یا محموله وسیله نقلیه")),
        Exclusion("flammables", _("خسارت ناشی از حمل مواد سریع‌الاشتعال"), unless_cover="flammables"),
        Exclusion("war", _("جنگ، شورش، انقلاب، اعتصاب، تهاجم و تشعشعات هسته‌ای")),
        Exclusion(
            "natural_disaster", _("زمین‌لرزه، سیل و آتشفشان (بدون پوشش بلایای طبیعی)"), unless_cover="natural_disasters"
        ),
    ),
    ELECTRONICS: (
        Exclusion(
            "unauthorised_repair",
            _("باز کردن، دستکاری، تعمیر یا تغییر قطعات دستگاه در مرکزی غیر از مرکز خدمات مجاز"),
            voids_policy=True,
        ),
        Exclusion("dusty_environment", _("استفاده در محیط‌های آلوده و پر گرد و غبار"), voids_policy=True),
        Exclusion("other_charger", _("به‌کارگیری شارژر و آداپتورهای متفرقه"), voids_policy=True),
        Exclusion(
            "tampered_policy",
            _("مخدوش بودن بیمه‌نامه، شماره سریال یا برچسب هولوگرام دستگاه و بیمه"),
            voids_policy=True,
        ),
        Exclusion("warranty_defect", _("ایراد تحت پوشش گارانتی و ضمانت‌نامه دستگاه")),
        Exclusion("software", _("اشکال نرم‌افزاری، سیستم‌عامل، روت، رام غیررسمی، قفل‌گشایی یا ویروس")),
        Exclusion("transit_damage", _("آسیب هنگام انتقال و تحویل توسط پست، پیک یا شرکت حمل")),
    ),
}


def exclusions_for(line: str) -> tuple[Exclusion, ...]:
    return EXCLUSIONS.get(line, ())


def exclusion_for(line: str, code: str) -> Exclusion | None:
    return next((each for each in exclusions_for(line) if each.code == code), None)


# [003] electronics: a claim is settled by repair, a partial replacement, replacing the whole
# device, or in cash; replacing the whole device voids the defective device's policy.
SETTLEMENTS = {
    "repair": _("تعمیر دستگاه"),
    "partial_replacement": _("تعویض جزئی"),
    "replacement": _("تعویض کلی دستگاه"),
    "cash": _("پرداخت نقدی"),
}
DEVICE_REPLACEMENT = "replacement"
DEVICE_REPLACED_REASON = "device_replaced"


# [003] the third-party law: whoever stages an accident to be paid repays twice what was received.
STAGED_CLAIM_REPAYMENT_MULTIPLE = 2


def staged_claim_repayment(paid: int) -> int:
    return max(int(paid), 0) * STAGED_CLAIM_REPAYMENT_MULTIPLE


# [003] electronics: accessories and consumables are not covered.
ELECTRONICS_ACCESSORIES_LABEL = _("لوازم جانبی و مصرفی (باتری، شارژر، کابل‌ها، سوکت و پورت‌ها)")


def causes_for(line: str) -> tuple[Cause, ...]:
    return CAUSES.get(line, CAUSES[OTHER])


def cause_for(line: str, code: str) -> Cause | None:
    return next((cause for cause in causes_for(line) if cause.code == code), None)


@dataclass(frozen=True)
class Lateness:
    late: bool
    deadline_days: int | None
    days_after: int

    @property
    def late_by_days(self) -> int:
        if not self.late or self.deadline_days is None:
            return 0
        return self.days_after - self.deadline_days


HOSPITALISATION = "hospitalisation"


def filed_after_discharge(*, line: str, cause: str, discharged_on: dt.date | None, filed_on: dt.date) -> bool:
    """[004] travel hospitalisation is reported within 5 days AND before discharge; a filing
    after the discharge day is accepted but flagged, as every late filing."""
    return line == TRAVEL and cause == HOSPITALISATION and discharged_on is not None and filed_on > discharged_on


def filing_lateness(*, line: str, cause: str, occurred_on: dt.date, filed_on: dt.date) -> Lateness:
    """Late filings are accepted but flagged [001][004]."""
    rule = cause_for(line, cause)
    deadline = rule.deadline_days if rule else None
    days_after = (filed_on - occurred_on).days
    return Lateness(late=deadline is not None and days_after > deadline, deadline_days=deadline, days_after=days_after)


@dataclass(frozen=True)
class RequiredDocument:
    code: str
    label: str


_POLICY = RequiredDocument("policy", _("تصویر بیمه‌نامه (و الحاقیه‌ها)"))
_CLAIM_FORM = RequiredDocument("claim_form", _("فرم اعلام خسارت تکمیل‌شده"))
_NATIONAL_CARD = RequiredDocument("national_card", _("کارت ملی بیمه‌گذار (و راننده)"))

# [001] fire: the policy, the initial inspection report, the premium receipts.
# [004] body: policies, police report, licence, ID cards, ownership documents, invoices.
REQUIRED_DOCUMENTS: dict[str, tuple[RequiredDocument, ...]] = {
    FIRE: (
        _CLAIM_FORM,
        _POLICY,
        RequiredDocument("inspection_report", _("گزارش بازدید اولیه")),
        RequiredDocument("premium_receipts", _("قبوض رسید پرداخت حق‌بیمه")),
    ),
    BODY: (
        RequiredDocument("policy", _("بیمه‌نامه بدنه به همراه الحاقیه‌ها")),
        RequiredDocument("third_party_policy", _("بیمه‌نامه شخص ثالث خودرو")),
        RequiredDocument("police_report", _("گزارش مقامات انتظامی (کروکی)")),
        RequiredDocument("driving_licence", _("گواهینامه راننده")),
        _NATIONAL_CARD,
        RequiredDocument("ownership", _("شناسنامه مالکیت خودرو و سند")),
        RequiredDocument("invoices", _("فاکتور رسمی قطعات و تعمیر")),
    ),
    THIRD_PARTY: (
        _POLICY,
        RequiredDocument("police_report", _("گزارش پلیس یا کروکی")),
        RequiredDocument("driving_licence", _("گواهینامه راننده مقصر")),
        _NATIONAL_CARD,
        RequiredDocument("ownership", _("کارت یا سند خودرو")),
    ),
    TRAVEL: (
        _POLICY,
        RequiredDocument("passport", _("گذرنامه با مهر خروج")),
        RequiredDocument("medical_reports", _("گزارش پزشک و مدارک بیمارستان")),
        RequiredDocument("invoices", _("صورت‌حساب‌ها و رسیدهای پرداخت")),
    ),
    # [003] electronics: the signed policy and "terms and conditions" form, the purchase
    # invoice, the device's box and accessories.
    ELECTRONICS: (
        _POLICY,
        RequiredDocument("terms_form", _("فرم «شرایط و قوانین» امضاشده بیمه‌گذار")),
        RequiredDocument("purchase_invoice", _("فاکتور خرید دستگاه")),
        RequiredDocument("device_photos", _("تصویر دستگاه آسیب‌دیده، کارتن و لوازم جانبی آن")),
        _NATIONAL_CARD,
    ),
    OTHER: (_POLICY, _CLAIM_FORM, RequiredDocument("evidence", _("مدارک خسارت"))),
}


# [003] voltage damage to electronics is paid only with the warranty company's confirmation.
WARRANTY_CONFIRMATION = RequiredDocument("warranty_confirmation", _("تأیید شرکت گارانتی (خسارت نوسان برق)"))


# [004] body loss abroad: the transit endorsement, the border crossing sheet, the Interpol
# report in official translation and the Iranian consulate's confirmation, besides the rest.
BODY_TRANSIT = "transit"
TRANSIT_COVER = "transit"
TRANSIT_DOCUMENTS = (
    RequiredDocument("transit_endorsement", _("الحاقیه پوشش ترانزیت با شرایط خصوصی آن")),
    RequiredDocument("capitage", _("برگ کاپیتاژ (خروج و ورود خودرو از پایانه‌های مرزی)")),
    RequiredDocument("interpol_report", _("ترجمه رسمی گزارش پلیس بین‌الملل (اینترپل)")),
    RequiredDocument("consulate_confirmation", _("تأیید کنسولگری ایران در کشور محل حادثه")),
)


# [003] a driver-accident claim is a bodily one: the medical reports of the driver's injury.
DRIVER_MEDICAL_REPORTS = RequiredDocument("medical_reports", _("گزارش پزشکی و مدارک درمان راننده"))


def required_documents(
    line: str, *, inspection_report: bool = True, cause: str = "", police_report: bool = True
) -> tuple[RequiredDocument, ...]:
    """The checklist for a line and cause; a fire policy that was never inspected has no report
    to give, and a small third-party loss needs no police report (see police_report_needed)."""
    documents = REQUIRED_DOCUMENTS.get(line, REQUIRED_DOCUMENTS[OTHER])
    if not inspection_report:
        documents = tuple(doc for doc in documents if doc.code != "inspection_report")
    if not police_report:
        documents = tuple(doc for doc in documents if doc.code != "police_report")
    if line == ELECTRONICS and cause == "voltage":
        documents = (*documents, WARRANTY_CONFIRMATION)
    if line == BODY and cause == BODY_TRANSIT:
        documents = (*documents, *TRANSIT_DOCUMENTS)
    if line == THIRD_PARTY and cause == DRIVER_ACCIDENT:
        documents = (*documents, DRIVER_MEDICAL_REPORTS)
    return documents


def document_kinds(line: str) -> dict[str, str]:
    """Every kind accepted for upload on a line (the checklist plus "other")."""
    kinds = {doc.code: str(doc.label) for doc in REQUIRED_DOCUMENTS.get(line, REQUIRED_DOCUMENTS[OTHER])}
    if line == ELECTRONICS:
        kinds[WARRANTY_CONFIRMATION.code] = str(WARRANTY_CONFIRMATION.label)
    if line == BODY:
        kinds.update({doc.code: str(doc.label) for doc in TRANSIT_DOCUMENTS})
    if line == THIRD_PARTY:
        kinds[DRIVER_MEDICAL_REPORTS.code] = str(DRIVER_MEDICAL_REPORTS.label)
    kinds["other"] = str(_("سایر مدارک"))
    return kinds
