"""Claims (خسارت): filed by the customer against a policy, moved by staff through the flow
filed → documents complete → assessed → approved → payment ordered → paid, or rejected;
an assessment the insured disputes goes to the three-expert panel and back to approval.

State changes go through `claims.services` (one function per transition, each audited).
Every step keeps its own timestamp: the tracker's timeline and the month-end export read them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import to_persian_digits
from core.uploads import private_storage_name


def claim_document_upload_to(instance, filename):
    return private_storage_name("claims/documents", filename)


class Claim(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("اعلام‌شده؛ در انتظار تکمیل مدارک")
        DOCUMENTS_COMPLETE = "documents_complete", _("مدارک کامل؛ در انتظار ارزیابی")
        ASSESSED = "assessed", _("ارزیابی‌شده؛ در انتظار تأیید")
        # [001][004] the insured disputes the assessment: the three-expert panel (Art. 24(3)) decides.
        DISPUTED = "disputed", _("اعتراض به ارزیابی؛ در هیئت کارشناسی سه‌نفره")
        APPROVED = "approved", _("تأییدشده؛ در انتظار حواله پرداخت")
        PAYMENT_ORDERED = "payment_ordered", _("حواله پرداخت صادر شد")
        PAID = "paid", _("پرداخت‌شده")
        REJECTED = "rejected", _("ردشده")

    class AuthorityLevel(models.TextChoices):
        OFFICE = "office", _("اداره خسارت")
        SUPERVISION = "supervision", _("اداره نظارت بر خسارت")
        TECHNICAL_COUNCIL = "technical_council", _("شورای فنی")

    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("بیمه‌نامه"), on_delete=models.PROTECT, related_name="claims"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("بیمه‌گذار"), on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(_("وضعیت"), max_length=24, choices=Status.choices, default=Status.FILED, db_index=True)
    cause = models.CharField(_("علت حادثه"), max_length=40)
    occurred_on = models.DateField(_("تاریخ حادثه"))
    description = models.TextField(_("شرح حادثه"))
    estimated_loss = models.BigIntegerField(_("برآورد خسارت بیمه‌گذار (ریال)"))
    details = models.JSONField(_("جزئیات"), default=dict, blank=True)

    filed_at = models.DateTimeField(_("زمان اعلام"), auto_now_add=True, db_index=True)
    late = models.BooleanField(_("اعلام با تأخیر"), default=False)
    deadline_days = models.PositiveSmallIntegerField(_("مهلت اعلام (روز)"), null=True, blank=True)
    late_by_days = models.PositiveIntegerField(_("روزهای تأخیر"), default=0)

    documents_completed_at = models.DateTimeField(_("زمان تکمیل مدارک"), null=True, blank=True)
    # [001] the insurer pays within four weeks of receiving every document.
    payment_due_on = models.DateField(_("مهلت پرداخت"), null=True, blank=True, db_index=True)

    assessed_at = models.DateTimeField(_("زمان ارزیابی"), null=True, blank=True)
    assessed_loss = models.BigIntegerField(_("خسارت ارزیابی‌شده (ریال)"), null=True, blank=True)
    assessment = models.JSONField(_("ورودی‌های ارزیابی"), default=dict, blank=True)
    payout = models.BigIntegerField(_("مبلغ قابل پرداخت (ریال)"), null=True, blank=True)
    payout_breakdown = models.JSONField(_("ریز محاسبه"), default=list, blank=True)
    assessment_note = models.TextField(_("گزارش ارزیاب"), blank=True)

    authority_level = models.CharField(_("سطح اختیار"), max_length=24, choices=AuthorityLevel.choices, blank=True)
    approved_at = models.DateTimeField(_("زمان تأیید"), null=True, blank=True)
    approval_reference = models.CharField(_("شماره مجوز/صورت‌جلسه"), max_length=60, blank=True)

    undertaking_accepted_at = models.DateTimeField(_("زمان پذیرش تعهدنامه"), null=True, blank=True)
    undertaking_ip = models.GenericIPAddressField(_("نشانی IP پذیرش تعهدنامه"), null=True, blank=True)

    payment_ordered_at = models.DateTimeField(_("زمان صدور حواله"), null=True, blank=True)
    paid_at = models.DateTimeField(_("زمان پرداخت"), null=True, blank=True, db_index=True)
    paid_amount = models.BigIntegerField(_("مبلغ پرداخت‌شده (ریال)"), null=True, blank=True)
    payment_reference = models.CharField(_("شماره پیگیری پرداخت"), max_length=60, blank=True)

    rejected_at = models.DateTimeField(_("زمان رد"), null=True, blank=True)
    rejection_reason = models.TextField(_("دلیل رد"), blank=True)

    # [001][004] a dispute with the assessor goes to a panel of three experts: one named by the
    # insurer, one by the insured, the third chosen by those two; its figure replaces the assessor's.
    disputed_at = models.DateTimeField(_("زمان اعتراض به ارزیابی"), null=True, blank=True)
    dispute_reason = models.TextField(_("دلیل اعتراض"), blank=True)
    panel_decided_at = models.DateTimeField(_("زمان رأی هیئت کارشناسی"), null=True, blank=True)
    panel = models.JSONField(_("هیئت کارشناسی سه‌نفره"), default=dict, blank=True)

    # [004] whole-car theft: paid only when the car is not found within 60 days of the report to
    # the police, and after the title passed to the insurer; a car found after payment is the
    # insurer's, which returns the insured's deductible share of the sale.
    theft_reported_on = models.DateField(_("تاریخ اعلام سرقت به پلیس"), null=True, blank=True)
    title_transferred_on = models.DateField(_("تاریخ انتقال سند به بیمه‌گر"), null=True, blank=True)
    vehicle_found_on = models.DateField(_("تاریخ پیدا شدن خودرو"), null=True, blank=True)
    vehicle_sale_price = models.BigIntegerField(_("بهای فروش خودروی پیداشده (ریال)"), null=True, blank=True)
    deductible_refund = models.BigIntegerField(_("سهم فرانشیز برگشتی به بیمه‌گذار (ریال)"), null=True, blank=True)

    # [004] a vehicle check (بازدید سلامت) after every body claim keeps the policy usable.
    vehicle_checked_on = models.DateField(_("تاریخ بازدید سلامت خودرو"), null=True, blank=True)

    # [004] third party: recovery of 1% (bodily) / 2% (property) of the paid loss from a driver
    # at fault by one of the accident-causing violations.
    driver_violation = models.CharField(_("تخلف حادثه‌ساز راننده مقصر"), max_length=30, blank=True)
    driver_recovery = models.BigIntegerField(_("بازیافت از راننده مقصر (ریال)"), null=True, blank=True)

    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("خسارت")
        verbose_name_plural = _("خسارت‌ها")
        constraints = [
            models.CheckConstraint(condition=Q(estimated_loss__gte=0), name="claim_estimated_loss_not_negative"),
            models.CheckConstraint(
                condition=Q(payout__isnull=True) | Q(payout__gte=0), name="claim_payout_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "payment_due_on"])]

    def __str__(self):
        return gettext("خسارت شماره %(number)s") % {"number": to_persian_digits(self.pk)}

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.PAID, self.Status.REJECTED)


class ClaimDocument(models.Model):
    """One uploaded document of a claim (a private file; served only after a permission check)."""

    claim = models.ForeignKey(Claim, verbose_name=_("خسارت"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("نوع مدرک"), max_length=40)
    file = models.FileField(_("فایل"), upload_to=claim_document_upload_to, max_length=200)
    content_type = models.CharField(_("نوع فایل"), max_length=40)
    size = models.PositiveIntegerField(_("حجم (بایت)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بارگذار"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "uploaded_at", "id"]
        verbose_name = _("مدرک خسارت")
        verbose_name_plural = _("مدارک خسارت")

    def __str__(self):
        return f"{self.claim_id}:{self.kind}"
