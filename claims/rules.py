"""Claim rules of the source documents: filing deadlines, required documents, causes.

Pure data and functions; `claims.payout` holds the payout estimator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FIRE, BODY, THIRD_PARTY, TRAVEL, ELECTRONICS, OTHER = "fire", "body", "third_party", "travel", "electronics", "other"


@dataclass(frozen=True)
class Cause:
    code: str
    label: str
    # Days within which the loss must be reported; None when the documents set no deadline.
    deadline_days: int | None = None


# Causes per line; the deadline of each [001][003][004]:
# fire within one month; car damage other than bodily within 5 days; travel
# hospitalisation within 5 days.
CAUSES: dict[str, tuple[Cause, ...]] = {
    FIRE: (
        Cause("fire", _("آتش‌سوزی"), 30),
        Cause("lightning", _("صاعقه"), 30),
        Cause("explosion", _("انفجار"), 30),
        Cause("additional_risk", _("یکی از خطرهای اضافی (زلزله، سیل، ترکیدگی لوله، سرقت…)"), 30),
    ),
    BODY: (
        Cause("partial", _("خسارت جزئی (تصادف یا آتش‌سوزی)"), 5),
        Cause("total_loss", _("خسارت کلی"), 5),
        Cause("theft", _("سرقت (جزئی یا کلی)"), 5),
    ),
    THIRD_PARTY: (
        Cause("property", _("خسارت مالی به شخص ثالث"), 5),
        Cause("bodily", _("خسارت بدنی (دیه و درمان)"), None),
    ),
    TRAVEL: (
        Cause("hospitalisation", _("بستری در بیمارستان"), 5),
        Cause("outpatient", _("درمان سرپایی"), None),
        Cause("baggage", _("تأخیر یا گم‌شدن بار"), None),
        Cause("documents", _("سرقت یا گم‌شدن مدارک"), None),
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
    ELECTRONICS: (
        _POLICY,
        RequiredDocument("purchase_invoice", _("فاکتور خرید دستگاه")),
        RequiredDocument("device_photos", _("تصویر دستگاه آسیب‌دیده و کارتن آن")),
        _NATIONAL_CARD,
    ),
    OTHER: (_POLICY, _CLAIM_FORM, RequiredDocument("evidence", _("مدارک خسارت"))),
}


def required_documents(line: str, *, inspection_report: bool = True) -> tuple[RequiredDocument, ...]:
    """The checklist for a line; a fire policy that was never inspected has no report to give."""
    documents = REQUIRED_DOCUMENTS.get(line, REQUIRED_DOCUMENTS[OTHER])
    if not inspection_report:
        documents = tuple(doc for doc in documents if doc.code != "inspection_report")
    return documents


def document_kinds(line: str) -> dict[str, str]:
    """Every kind accepted for upload on a line (the checklist plus "other")."""
    kinds = {doc.code: str(doc.label) for doc in REQUIRED_DOCUMENTS.get(line, REQUIRED_DOCUMENTS[OTHER])}
    kinds["other"] = str(_("سایر مدارک"))
    return kinds
