"""Policies (بیمه‌نامه), their instalments, endorsements (الحاقی), inspections (بازدید),
renewal reminders and capital reviews.

State changes go through `policies.services`; nothing here writes on its own. Every
timestamp the month-end "Saman" export needs is a column: `issued_at`, `cancelled_at`,
`Installment.paid_at`, `Endorsement.issued_at` / `effective_on`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import private_storage_name


def policy_document_upload_to(instance, filename):
    return private_storage_name("policies/documents", filename)


def bank_letter_upload_to(instance, filename):
    return private_storage_name("policies/bank_letters", filename)


class Policy(models.Model):
    """An insurance policy an agent recorded for a customer."""

    class Status(models.TextChoices):
        # Recorded, but something [001] asks for before issue is still missing: the inspection
        # and its safety recommendations, the bank's letter, the supervision office's authorisation.
        PENDING_ISSUE = "pending_issue", _("در انتظار صدور")
        ISSUED = "issued", _("صادرشده")
        CANCELLED = "cancelled", _("فسخ‌شده")
        ANNULLED = "annulled", _("باطل‌شده")

    class PaymentPlan(models.TextChoices):
        CASH = "cash", _("نقدی")
        INSTALLMENTS = "installments", _("اقساطی")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("بیمه‌گذار"), on_delete=models.PROTECT, related_name="policies"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("نماینده صادرکننده"), on_delete=models.PROTECT, related_name="policies"
    )
    request = models.ForeignKey(
        "insurance_requests.InsuranceRequest",
        verbose_name=_("درخواست"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    insurer = models.ForeignKey(
        "insurers.Insurer", verbose_name=_("بیمه‌گر"), on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        "insurers.InsuranceLine", verbose_name=_("رشته"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("شماره بیمه‌نامه"), max_length=40)
    status = models.CharField(
        _("وضعیت"), max_length=16, choices=Status.choices, default=Status.PENDING_ISSUE, db_index=True
    )

    insured_items = models.JSONField(_("موارد بیمه‌شده"), default=list, blank=True)
    sum_insured = models.BigIntegerField(_("سرمایه بیمه‌شده (ریال)"))
    # The real value declared at issue; the proportional rule compares it with the sum insured.
    actual_value = models.BigIntegerField(_("ارزش واقعی (ریال)"), default=0)
    covers = models.JSONField(_("پوشش‌های اضافی"), default=list, blank=True)
    params = models.JSONField(_("مشخصات"), default=dict, blank=True)

    issued_on = models.DateField(_("تاریخ خرید/صدور"))
    starts_on = models.DateField(_("تاریخ شروع"))
    ends_on = models.DateField(_("تاریخ پایان"))
    premium = models.BigIntegerField(_("حق‌بیمه (ریال)"))
    payment_plan = models.CharField(_("نحوه پرداخت"), max_length=16, choices=PaymentPlan.choices)
    # Cover binds the insurer only once the first instalment is paid [001].
    first_paid_at = models.DateTimeField(_("زمان پرداخت قسط اول"), null=True, blank=True)

    inspection_required = models.BooleanField(_("نیاز به بازدید"), default=False)
    issued_at = models.DateTimeField(_("زمان صدور"), null=True, blank=True, db_index=True)
    # The policy as issued, frozen at issue: endorsements change sum_insured, ends_on and the
    # insured later, but the month's Saman file reports what was issued [001].
    issued_sum_insured = models.BigIntegerField(_("سرمایه در زمان صدور (ریال)"), null=True, blank=True)
    issued_premium = models.BigIntegerField(_("حق‌بیمه در زمان صدور (ریال)"), null=True, blank=True)
    issued_ends_on = models.DateField(_("تاریخ پایان در زمان صدور"), null=True, blank=True)
    issued_national_code = models.CharField(_("کد ملی بیمه‌گذار در زمان صدور"), max_length=10, blank=True)

    # The insured property's identity for the double-insurance rule [004] (issue_rules.property_key).
    property_key = models.CharField(_("شناسه مورد بیمه"), max_length=200, blank=True, db_index=True)
    # Co-owners (شرکا) and their shares in percent, stated on the policy [004].
    partners = models.JSONField(_("شرکا و سهم هر یک"), default=list, blank=True)

    # Mortgaged property (مرهونات بانکی): the bank's letter must be on file before issue [001].
    mortgaged = models.BooleanField(_("مورد بیمه در رهن بانک است"), default=False)
    bank_letter = models.FileField(_("نامه بانک"), upload_to=bank_letter_upload_to, blank=True, max_length=200)
    bank_letter_content_type = models.CharField(_("نوع فایل نامه بانک"), max_length=40, blank=True)

    # Special cases (discount request, high capital, high risk, …) wait for the supervision
    # office's authorisation (مجوز اداره نظارت بر صدور) before issue [001].
    authorisation_reasons = models.JSONField(_("موارد نیازمند مجوز اداره نظارت"), default=list, blank=True)
    authorised_at = models.DateTimeField(_("زمان ثبت مجوز اداره نظارت"), null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده مجوز"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authorisation_reference = models.CharField(_("شماره نامه مجوز"), max_length=60, blank=True)

    document = models.FileField(_("فایل بیمه‌نامه"), upload_to=policy_document_upload_to, blank=True, max_length=200)
    document_content_type = models.CharField(_("نوع فایل بیمه‌نامه"), max_length=40, blank=True)

    renewal_of = models.OneToOneField(
        "self",
        verbose_name=_("تمدید بیمه‌نامه"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )

    # Cancellation (فسخ) or annulment (ابطال): one decision per policy, never edited.
    cancelled_at = models.DateTimeField(_("زمان فسخ/ابطال"), null=True, blank=True, db_index=True)
    cancellation_on = models.DateField(_("تاریخ اثر فسخ"), null=True, blank=True)
    cancellation_by = models.CharField(_("درخواست‌کننده فسخ"), max_length=16, blank=True)
    cancellation_reason = models.CharField(_("علت"), max_length=40, blank=True)
    cancellation_kept = models.BigIntegerField(_("حق‌بیمه قطعی‌شده (ریال)"), null=True, blank=True)
    cancellation_refund = models.BigIntegerField(_("مبلغ برگشتی (ریال)"), null=True, blank=True)
    cancellation_details = models.JSONField(_("جزئیات فسخ"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("بیمه‌نامه")
        verbose_name_plural = _("بیمه‌نامه‌ها")
        constraints = [
            models.UniqueConstraint(fields=["insurer", "number"], name="policy_number_unique_per_insurer"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="policy_ends_after_start"),
            models.CheckConstraint(condition=Q(premium__gte=0, sum_insured__gte=0), name="policy_amounts_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "ends_on"]), models.Index(fields=["sum_insured"])]

    def __str__(self):
        return f"{self.number} ({self.insurer_id})"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.CANCELLED, self.Status.ANNULLED)


class Installment(models.Model):
    """One scheduled payment: number 0 is the down payment (or the whole cash premium)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("بیمه‌نامه"), on_delete=models.CASCADE, related_name="installments"
    )
    number = models.PositiveSmallIntegerField(_("شماره قسط"))
    due_on = models.DateField(_("سررسید"))
    amount = models.BigIntegerField(_("مبلغ (ریال)"))
    endorsement = models.ForeignKey(
        "Endorsement",
        verbose_name=_("الحاقی"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="installments",
    )
    paid_at = models.DateTimeField(_("زمان پرداخت"), null=True, blank=True)
    paid_on = models.DateField(_("تاریخ پرداخت"), null=True, blank=True)
    reference = models.CharField(_("شماره فیش/چک"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده پرداخت"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = _("قسط")
        verbose_name_plural = _("اقساط")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="installment_number_unique_per_policy"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="installment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.policy_id}#{self.number}"

    @property
    def overdue(self) -> bool:
        """Unpaid and its due date (Asia/Tehran) has passed (سررسید گذشته): the day itself is not late."""
        return self.paid_at is None and self.due_on < timezone.localdate()


class Endorsement(models.Model):
    """An endorsement (الحاقی): every change after issue, numbered per policy [001]."""

    class Kind(models.TextChoices):
        ADDITIONAL = "additional", _("اضافی (دریافت حق‌بیمه)")
        REFUND = "refund", _("برگشتی (بازپرداخت حق‌بیمه)")
        NO_FINANCIAL_EFFECT = "no_financial_effect", _("بدون اثر مالی")
        RENEWAL = "renewal", _("تمدید کوتاه‌مدت")

    policy = models.ForeignKey(
        Policy, verbose_name=_("بیمه‌نامه"), on_delete=models.PROTECT, related_name="endorsements"
    )
    number = models.PositiveSmallIntegerField(_("شماره الحاقی"))
    kind = models.CharField(_("نوع"), max_length=24, choices=Kind.choices)
    changes = models.JSONField(_("تغییرات"), default=dict)
    previous = models.JSONField(_("مقادیر پیشین"), default=dict, blank=True)
    # Signed: positive is collected from the insured, negative is paid back.
    premium_delta = models.BigIntegerField(_("تفاوت حق‌بیمه (ریال)"), default=0)
    effective_on = models.DateField(_("تاریخ اثر"))
    needs_inspection = models.BooleanField(_("نیاز به بازدید مجدد"), default=False)
    description = models.TextField(_("توضیح"), blank=True)
    issued_at = models.DateTimeField(_("زمان صدور"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = _("الحاقی")
        verbose_name_plural = _("الحاقی‌ها")
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="endorsement_number_unique_per_policy"),
        ]

    def __str__(self):
        return gettext("%(policy)s/الحاقی %(number)s") % {"policy": self.policy_id, "number": self.number}


class Inspection(models.Model):
    """A site visit report: initial (before issue) or secondary (checks the recommendations) [001]."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("بازدید اولیه")
        SECONDARY = "secondary", _("بازدید ثانویه")

    class Reason(models.TextChoices):
        ISSUE = "issue", _("صدور")
        ENDORSEMENT = "endorsement", _("الحاقی")
        RENEWAL = "renewal", _("تمدید")

    class Site(models.TextChoices):
        # An address change is endorsed only after both the old and the new site are seen [004].
        CURRENT = "current", _("محل فعلی مورد بیمه")
        NEW = "new", _("محل جدید (تغییر نشانی)")

    policy = models.ForeignKey(Policy, verbose_name=_("بیمه‌نامه"), on_delete=models.CASCADE, related_name="inspections")
    endorsement = models.ForeignKey(
        Endorsement,
        verbose_name=_("الحاقی"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    kind = models.CharField(_("نوع"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("علت"), max_length=16, choices=Reason.choices, default=Reason.ISSUE)
    inspected_on = models.DateField(_("تاریخ بازدید"))
    inspector = models.CharField(_("کارشناس بازدید"), max_length=120)
    report = models.TextField(_("گزارش"))
    site = models.CharField(_("محل بازدید"), max_length=8, choices=Site.choices, default=Site.CURRENT)
    site_address = models.CharField(_("نشانی محل بازدید"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["policy", "inspected_on", "id"]
        verbose_name = _("بازدید")
        verbose_name_plural = _("بازدیدها")

    def __str__(self):
        return f"{self.get_kind_display()} {self.policy_id}"


class Recommendation(models.Model):
    """A safety recommendation (توصیه ایمنی) the insured must comply with before issue."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("بازدید"), on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.CharField(_("توصیه"), max_length=300)
    complied_at = models.DateTimeField(_("زمان رعایت"), null=True, blank=True)
    complied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("انجام‌شده با"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_by_inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("تأییدشده در بازدید"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_recommendations",
    )

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("توصیه ایمنی")
        verbose_name_plural = _("توصیه‌های ایمنی")

    def __str__(self):
        return self.text


class RenewalReminder(models.Model):
    """The claim row of one renewal invitation: written before sending, so it goes out once."""

    class Kind(models.TextChoices):
        MONTH_BEFORE = "month_before", _("یک ماه پیش از انقضا")
        WEEK_BEFORE = "week_before", _("یک هفته پیش از انقضا")

    policy = models.ForeignKey(
        Policy, verbose_name=_("بیمه‌نامه"), on_delete=models.CASCADE, related_name="renewal_reminders"
    )
    kind = models.CharField(_("نوع"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(_("زمان ارسال"), auto_now_add=True)

    class Meta:
        verbose_name = _("دعوت به تمدید")
        verbose_name_plural = _("دعوت‌های تمدید")
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="one_renewal_reminder_per_kind")]

    def __str__(self):
        return f"{self.policy_id}:{self.kind}"


class CapitalReview(models.Model):
    """Staff's review of a policy on a capital review list [001]: approved and filed at once, or
    defects found, which the issuing office corrects by an endorsement before approval."""

    class Level(models.TextChoices):
        MONTHLY = "monthly", _("بررسی ماهانه اداره نظارت (بیش از ۱۰ میلیارد ریال)")
        CENTRAL = "central", _("ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)")
        DAILY = "daily", _("بررسی روزانه (بیش از ۶۳ میلیارد ریال)")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("تأیید و بایگانی")
        DEFECTS = "defects", _("ایراد دارد؛ در انتظار الحاقی اصلاحی")

    policy = models.ForeignKey(
        Policy, verbose_name=_("بیمه‌نامه"), on_delete=models.CASCADE, related_name="capital_reviews"
    )
    level = models.CharField(_("فهرست بررسی"), max_length=16, choices=Level.choices)
    outcome = models.CharField(_("نتیجه"), max_length=16, choices=Outcome.choices, default=Outcome.APPROVED)
    defects = models.TextField(_("ایرادات"), blank=True)
    # The endorsement that corrected the defects; the review is approved only after it [001].
    corrected_by = models.ForeignKey(
        Endorsement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("الحاقی اصلاحی")
    )
    approved_at = models.DateTimeField(_("زمان تأیید"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بررسی‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("زمان بررسی"), auto_now_add=True)
    note = models.TextField(_("یادداشت"), blank=True)

    class Meta:
        verbose_name = _("بررسی سرمایه")
        verbose_name_plural = _("بررسی‌های سرمایه")
        constraints = [models.UniqueConstraint(fields=["policy", "level"], name="one_capital_review_per_level")]

    def __str__(self):
        return f"{self.policy_id}:{self.level}"


# Proxies: one admin changelist per capital review list (admin.py filters each).
class MonthlyReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = _("فهرست بررسی ماهانه (بیش از ۱۰ میلیارد ریال)")
        verbose_name_plural = _("فهرست بررسی ماهانه (بیش از ۱۰ میلیارد ریال)")


class CentralInsuranceReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = _("فهرست ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)")
        verbose_name_plural = _("فهرست ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)")


class DailyReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = _("فهرست بررسی روزانه (بیش از ۶۳ میلیارد ریال)")
        verbose_name_plural = _("فهرست بررسی روزانه (بیش از ۶۳ میلیارد ریال)")


class AwaitingAuthorisationPolicy(Policy):
    """Staff's list of special cases waiting for the supervision office's authorisation [001]."""

    class Meta:
        proxy = True
        verbose_name = _("در انتظار مجوز اداره نظارت")
        verbose_name_plural = _("در انتظار مجوز اداره نظارت (بیمه‌نامه‌های خاص)")


class CustomerLink(models.Model):
    """An agent's request to serve a customer they brought in (ارتباط با بیمه‌گذار).

    Recording a policy by mobile needs a relationship (`policies.relationships`); for a
    customer who never accepted this agent's answer, this row is it, once the holder of
    the number confirms it: by reading the SMS code to the agent, or in their account.
    Until then the agent learns nothing about the number, registered or not. Only a salted
    hash of the code is kept; `customer` is set on confirmation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار تأیید بیمه‌گذار")
        CONFIRMED = "confirmed", _("تأییدشده")
        DECLINED = "declined", _("ردشده")
        EXPIRED = "expired", _("منقضی‌شده")

    class ConfirmedBy(models.TextChoices):
        CODE = "code", _("کد پیامکی")
        ACCOUNT = "account", _("حساب کاربری")

    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("نماینده"), on_delete=models.CASCADE, related_name="customer_links"
    )
    mobile = models.CharField(_("شماره همراه"), max_length=11, db_index=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("مشتری"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agent_links",
    )
    status = models.CharField(_("وضعیت"), max_length=12, choices=Status.choices, default=Status.PENDING)
    code_hash = models.CharField(_("درهم‌سازی کد"), max_length=64, blank=True)
    code_salt = models.CharField(_("نمک کد"), max_length=32, blank=True)
    code_sent_at = models.DateTimeField(_("زمان ارسال کد"), null=True, blank=True)
    code_expires_at = models.DateTimeField(_("زمان انقضای کد"), null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(_("دفعات تلاش"), default=0)
    codes_sent = models.PositiveSmallIntegerField(_("تعداد کدهای ارسال‌شده"), default=0)
    created_at = models.DateTimeField(_("زمان ساخت"))
    expires_at = models.DateTimeField(_("زمان انقضا"))
    decided_at = models.DateTimeField(_("زمان تصمیم"), null=True, blank=True)
    confirmed_by = models.CharField(_("تأییدشده از راه"), max_length=8, choices=ConfirmedBy.choices, blank=True)

    class Meta:
        verbose_name = _("ارتباط نماینده و بیمه‌گذار")
        verbose_name_plural = _("ارتباط‌های نماینده و بیمه‌گذار")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "mobile"], condition=Q(status="pending"), name="one_pending_link_per_agent_and_mobile"
            )
        ]

    def __str__(self):
        return f"{self.agent_id}:{self.mobile}:{self.status}"
