"""Claims (خسارت): filed by the customer against a policy, moved by staff through the flow
filed → documents complete → assessed → approved → payment ordered → paid, or rejected;
an assessment the insured disputes goes to the three-expert panel and back to approval.

State changes go through `claims.services` (one function per transition, each audited).
Every step keeps its own timestamp: the tracker's timeline and the month-end export read them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import to_persian_digits
from core.uploads import private_storage_name


def claim_document_upload_to(instance, filename):
    return private_storage_name("claims/documents", filename)


class Claim(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", "اعلام‌شده؛ در انتظار تکمیل مدارک"
        DOCUMENTS_COMPLETE = "documents_complete", "مدارک کامل؛ در انتظار ارزیابی"
        ASSESSED = "assessed", "ارزیابی‌شده؛ در انتظار تأیید"
        # [001][004] the insured disputes the assessment: the three-expert panel (Art. 24(3)) decides.
        DISPUTED = "disputed", "اعتراض به ارزیابی؛ در هیئت کارشناسی سه‌نفره"
        APPROVED = "approved", "تأییدشده؛ در انتظار حواله پرداخت"
        PAYMENT_ORDERED = "payment_ordered", "حواله پرداخت صادر شد"
        PAID = "paid", "پرداخت‌شده"
        REJECTED = "rejected", "ردشده"

    class AuthorityLevel(models.TextChoices):
        OFFICE = "office", "اداره خسارت"
        SUPERVISION = "supervision", "اداره نظارت بر خسارت"
        TECHNICAL_COUNCIL = "technical_council", "شورای فنی"

    policy = models.ForeignKey(
        "policies.Policy", verbose_name="بیمه‌نامه", on_delete=models.PROTECT, related_name="claims"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="بیمه‌گذار", on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField("وضعیت", max_length=24, choices=Status.choices, default=Status.FILED, db_index=True)
    cause = models.CharField("علت حادثه", max_length=40)
    occurred_on = models.DateField("تاریخ حادثه")
    description = models.TextField("شرح حادثه")
    estimated_loss = models.BigIntegerField("برآورد خسارت بیمه‌گذار (ریال)")
    details = models.JSONField("جزئیات", default=dict, blank=True)

    filed_at = models.DateTimeField("زمان اعلام", auto_now_add=True, db_index=True)
    late = models.BooleanField("اعلام با تأخیر", default=False)
    deadline_days = models.PositiveSmallIntegerField("مهلت اعلام (روز)", null=True, blank=True)
    late_by_days = models.PositiveIntegerField("روزهای تأخیر", default=0)

    documents_completed_at = models.DateTimeField("زمان تکمیل مدارک", null=True, blank=True)
    # [001] the insurer pays within four weeks of receiving every document.
    payment_due_on = models.DateField("مهلت پرداخت", null=True, blank=True, db_index=True)

    assessed_at = models.DateTimeField("زمان ارزیابی", null=True, blank=True)
    assessed_loss = models.BigIntegerField("خسارت ارزیابی‌شده (ریال)", null=True, blank=True)
    assessment = models.JSONField("ورودی‌های ارزیابی", default=dict, blank=True)
    payout = models.BigIntegerField("مبلغ قابل پرداخت (ریال)", null=True, blank=True)
    payout_breakdown = models.JSONField("ریز محاسبه", default=list, blank=True)
    assessment_note = models.TextField("گزارش ارزیاب", blank=True)

    authority_level = models.CharField("سطح اختیار", max_length=24, choices=AuthorityLevel.choices, blank=True)
    approved_at = models.DateTimeField("زمان تأیید", null=True, blank=True)
    approval_reference = models.CharField("شماره مجوز/صورت‌جلسه", max_length=60, blank=True)

    undertaking_accepted_at = models.DateTimeField("زمان پذیرش تعهدنامه", null=True, blank=True)
    undertaking_ip = models.GenericIPAddressField("نشانی IP پذیرش تعهدنامه", null=True, blank=True)

    payment_ordered_at = models.DateTimeField("زمان صدور حواله", null=True, blank=True)
    paid_at = models.DateTimeField("زمان پرداخت", null=True, blank=True, db_index=True)
    paid_amount = models.BigIntegerField("مبلغ پرداخت‌شده (ریال)", null=True, blank=True)
    payment_reference = models.CharField("شماره پیگیری پرداخت", max_length=60, blank=True)

    rejected_at = models.DateTimeField("زمان رد", null=True, blank=True)
    rejection_reason = models.TextField("دلیل رد", blank=True)

    # [001][004] a dispute with the assessor goes to a panel of three experts: one named by the
    # insurer, one by the insured, the third chosen by those two; its figure replaces the assessor's.
    disputed_at = models.DateTimeField("زمان اعتراض به ارزیابی", null=True, blank=True)
    dispute_reason = models.TextField("دلیل اعتراض", blank=True)
    panel_decided_at = models.DateTimeField("زمان رأی هیئت کارشناسی", null=True, blank=True)
    panel = models.JSONField("هیئت کارشناسی سه‌نفره", default=dict, blank=True)

    # [004] whole-car theft: paid only when the car is not found within 60 days of the report to
    # the police, and after the title passed to the insurer; a car found after payment is the
    # insurer's, which returns the insured's deductible share of the sale.
    theft_reported_on = models.DateField("تاریخ اعلام سرقت به پلیس", null=True, blank=True)
    title_transferred_on = models.DateField("تاریخ انتقال سند به بیمه‌گر", null=True, blank=True)
    vehicle_found_on = models.DateField("تاریخ پیدا شدن خودرو", null=True, blank=True)
    vehicle_sale_price = models.BigIntegerField("بهای فروش خودروی پیداشده (ریال)", null=True, blank=True)
    deductible_refund = models.BigIntegerField("سهم فرانشیز برگشتی به بیمه‌گذار (ریال)", null=True, blank=True)

    # [004] a vehicle check (بازدید سلامت) after every body claim keeps the policy usable.
    vehicle_checked_on = models.DateField("تاریخ بازدید سلامت خودرو", null=True, blank=True)

    # [004] third party: recovery of 1% (bodily) / 2% (property) of the paid loss from a driver
    # at fault by one of the accident-causing violations.
    driver_violation = models.CharField("تخلف حادثه‌ساز راننده مقصر", max_length=30, blank=True)
    driver_recovery = models.BigIntegerField("بازیافت از راننده مقصر (ریال)", null=True, blank=True)

    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "خسارت"
        verbose_name_plural = "خسارت‌ها"
        constraints = [
            models.CheckConstraint(condition=Q(estimated_loss__gte=0), name="claim_estimated_loss_not_negative"),
            models.CheckConstraint(
                condition=Q(payout__isnull=True) | Q(payout__gte=0), name="claim_payout_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "payment_due_on"])]

    def __str__(self):
        return f"خسارت شماره {to_persian_digits(self.pk)}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.PAID, self.Status.REJECTED)


class ClaimDocument(models.Model):
    """One uploaded document of a claim (a private file; served only after a permission check)."""

    claim = models.ForeignKey(Claim, verbose_name="خسارت", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("نوع مدرک", max_length=40)
    file = models.FileField("فایل", upload_to=claim_document_upload_to, max_length=200)
    content_type = models.CharField("نوع فایل", max_length=40)
    size = models.PositiveIntegerField("حجم (بایت)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بارگذار",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("زمان بارگذاری", auto_now_add=True)

    class Meta:
        ordering = ["claim", "uploaded_at", "id"]
        verbose_name = "مدرک خسارت"
        verbose_name_plural = "مدارک خسارت"

    def __str__(self):
        return f"{self.claim_id}:{self.kind}"
