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
        PENDING_ISSUE = "pending_issue", "در انتظار صدور"
        ISSUED = "issued", "صادرشده"
        CANCELLED = "cancelled", "فسخ‌شده"
        ANNULLED = "annulled", "باطل‌شده"

    class PaymentPlan(models.TextChoices):
        CASH = "cash", "نقدی"
        INSTALLMENTS = "installments", "اقساطی"

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="بیمه‌گذار", on_delete=models.PROTECT, related_name="policies"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name="نماینده صادرکننده", on_delete=models.PROTECT, related_name="policies"
    )
    request = models.ForeignKey(
        "insurance_requests.InsuranceRequest",
        verbose_name="درخواست",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policies",
    )
    insurer = models.ForeignKey("insurers.Insurer", verbose_name="بیمه‌گر", on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey("insurers.InsuranceLine", verbose_name="رشته", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("شماره بیمه‌نامه", max_length=40)
    status = models.CharField(
        "وضعیت", max_length=16, choices=Status.choices, default=Status.PENDING_ISSUE, db_index=True
    )

    insured_items = models.JSONField("موارد بیمه‌شده", default=list, blank=True)
    sum_insured = models.BigIntegerField("سرمایه بیمه‌شده (ریال)")
    # The real value declared at issue; the proportional rule compares it with the sum insured.
    actual_value = models.BigIntegerField("ارزش واقعی (ریال)", default=0)
    covers = models.JSONField("پوشش‌های اضافی", default=list, blank=True)
    params = models.JSONField("مشخصات", default=dict, blank=True)

    issued_on = models.DateField("تاریخ خرید/صدور")
    starts_on = models.DateField("تاریخ شروع")
    ends_on = models.DateField("تاریخ پایان")
    premium = models.BigIntegerField("حق‌بیمه (ریال)")
    payment_plan = models.CharField("نحوه پرداخت", max_length=16, choices=PaymentPlan.choices)
    # Cover binds the insurer only once the first instalment is paid [001].
    first_paid_at = models.DateTimeField("زمان پرداخت قسط اول", null=True, blank=True)

    inspection_required = models.BooleanField("نیاز به بازدید", default=False)
    issued_at = models.DateTimeField("زمان صدور", null=True, blank=True, db_index=True)
    # The policy as issued, frozen at issue: endorsements change sum_insured, ends_on and the
    # insured later, but the month's Saman file reports what was issued [001].
    issued_sum_insured = models.BigIntegerField("سرمایه در زمان صدور (ریال)", null=True, blank=True)
    issued_premium = models.BigIntegerField("حق‌بیمه در زمان صدور (ریال)", null=True, blank=True)
    issued_ends_on = models.DateField("تاریخ پایان در زمان صدور", null=True, blank=True)
    issued_national_code = models.CharField("کد ملی بیمه‌گذار در زمان صدور", max_length=10, blank=True)

    # The insured property's identity for the double-insurance rule [004] (issue_rules.property_key).
    property_key = models.CharField("شناسه مورد بیمه", max_length=200, blank=True, db_index=True)
    # Co-owners (شرکا) and their shares in percent, stated on the policy [004].
    partners = models.JSONField("شرکا و سهم هر یک", default=list, blank=True)

    # Mortgaged property (مرهونات بانکی): the bank's letter must be on file before issue [001].
    mortgaged = models.BooleanField("مورد بیمه در رهن بانک است", default=False)
    bank_letter = models.FileField("نامه بانک", upload_to=bank_letter_upload_to, blank=True, max_length=200)
    bank_letter_content_type = models.CharField("نوع فایل نامه بانک", max_length=40, blank=True)

    # Special cases (discount request, high capital, high risk, …) wait for the supervision
    # office's authorisation (مجوز اداره نظارت بر صدور) before issue [001].
    authorisation_reasons = models.JSONField("موارد نیازمند مجوز اداره نظارت", default=list, blank=True)
    authorised_at = models.DateTimeField("زمان ثبت مجوز اداره نظارت", null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده مجوز",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authorisation_reference = models.CharField("شماره نامه مجوز", max_length=60, blank=True)

    document = models.FileField("فایل بیمه‌نامه", upload_to=policy_document_upload_to, blank=True, max_length=200)
    document_content_type = models.CharField("نوع فایل بیمه‌نامه", max_length=40, blank=True)

    renewal_of = models.OneToOneField(
        "self",
        verbose_name="تمدید بیمه‌نامه",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
    )

    # Cancellation (فسخ) or annulment (ابطال): one decision per policy, never edited.
    cancelled_at = models.DateTimeField("زمان فسخ/ابطال", null=True, blank=True, db_index=True)
    cancellation_on = models.DateField("تاریخ اثر فسخ", null=True, blank=True)
    cancellation_by = models.CharField("درخواست‌کننده فسخ", max_length=16, blank=True)
    cancellation_reason = models.CharField("علت", max_length=40, blank=True)
    cancellation_kept = models.BigIntegerField("حق‌بیمه قطعی‌شده (ریال)", null=True, blank=True)
    cancellation_refund = models.BigIntegerField("مبلغ برگشتی (ریال)", null=True, blank=True)
    cancellation_details = models.JSONField("جزئیات فسخ", default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "بیمه‌نامه"
        verbose_name_plural = "بیمه‌نامه‌ها"
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

    policy = models.ForeignKey(Policy, verbose_name="بیمه‌نامه", on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField("شماره قسط")
    due_on = models.DateField("سررسید")
    amount = models.BigIntegerField("مبلغ (ریال)")
    endorsement = models.ForeignKey(
        "Endorsement",
        verbose_name="الحاقی",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="installments",
    )
    paid_at = models.DateTimeField("زمان پرداخت", null=True, blank=True)
    paid_on = models.DateField("تاریخ پرداخت", null=True, blank=True)
    reference = models.CharField("شماره فیش/چک", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده پرداخت",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = "قسط"
        verbose_name_plural = "اقساط"
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
        ADDITIONAL = "additional", "اضافی (دریافت حق‌بیمه)"
        REFUND = "refund", "برگشتی (بازپرداخت حق‌بیمه)"
        NO_FINANCIAL_EFFECT = "no_financial_effect", "بدون اثر مالی"
        RENEWAL = "renewal", "تمدید کوتاه‌مدت"

    policy = models.ForeignKey(Policy, verbose_name="بیمه‌نامه", on_delete=models.PROTECT, related_name="endorsements")
    number = models.PositiveSmallIntegerField("شماره الحاقی")
    kind = models.CharField("نوع", max_length=24, choices=Kind.choices)
    changes = models.JSONField("تغییرات", default=dict)
    previous = models.JSONField("مقادیر پیشین", default=dict, blank=True)
    # Signed: positive is collected from the insured, negative is paid back.
    premium_delta = models.BigIntegerField("تفاوت حق‌بیمه (ریال)", default=0)
    effective_on = models.DateField("تاریخ اثر")
    needs_inspection = models.BooleanField("نیاز به بازدید مجدد", default=False)
    description = models.TextField("توضیح", blank=True)
    issued_at = models.DateTimeField("زمان صدور", auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["policy", "number"]
        verbose_name = "الحاقی"
        verbose_name_plural = "الحاقی‌ها"
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="endorsement_number_unique_per_policy"),
        ]

    def __str__(self):
        return f"{self.policy_id}/الحاقی {self.number}"


class Inspection(models.Model):
    """A site visit report: initial (before issue) or secondary (checks the recommendations) [001]."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "بازدید اولیه"
        SECONDARY = "secondary", "بازدید ثانویه"

    class Reason(models.TextChoices):
        ISSUE = "issue", "صدور"
        ENDORSEMENT = "endorsement", "الحاقی"
        RENEWAL = "renewal", "تمدید"

    class Site(models.TextChoices):
        # An address change is endorsed only after both the old and the new site are seen [004].
        CURRENT = "current", "محل فعلی مورد بیمه"
        NEW = "new", "محل جدید (تغییر نشانی)"

    policy = models.ForeignKey(Policy, verbose_name="بیمه‌نامه", on_delete=models.CASCADE, related_name="inspections")
    endorsement = models.ForeignKey(
        Endorsement, verbose_name="الحاقی", null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections"
    )
    kind = models.CharField("نوع", max_length=16, choices=Kind.choices)
    reason = models.CharField("علت", max_length=16, choices=Reason.choices, default=Reason.ISSUE)
    inspected_on = models.DateField("تاریخ بازدید")
    inspector = models.CharField("کارشناس بازدید", max_length=120)
    report = models.TextField("گزارش")
    site = models.CharField("محل بازدید", max_length=8, choices=Site.choices, default=Site.CURRENT)
    site_address = models.CharField("نشانی محل بازدید", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        ordering = ["policy", "inspected_on", "id"]
        verbose_name = "بازدید"
        verbose_name_plural = "بازدیدها"

    def __str__(self):
        return f"{self.get_kind_display()} {self.policy_id}"


class Recommendation(models.Model):
    """A safety recommendation (توصیه ایمنی) the insured must comply with before issue."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="بازدید", on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.CharField("توصیه", max_length=300)
    complied_at = models.DateTimeField("زمان رعایت", null=True, blank=True)
    complied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="انجام‌شده با",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_by_inspection = models.ForeignKey(
        Inspection,
        verbose_name="تأییدشده در بازدید",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_recommendations",
    )

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = "توصیه ایمنی"
        verbose_name_plural = "توصیه‌های ایمنی"

    def __str__(self):
        return self.text


class RenewalReminder(models.Model):
    """The claim row of one renewal invitation: written before sending, so it goes out once."""

    class Kind(models.TextChoices):
        MONTH_BEFORE = "month_before", "یک ماه پیش از انقضا"
        WEEK_BEFORE = "week_before", "یک هفته پیش از انقضا"

    policy = models.ForeignKey(
        Policy, verbose_name="بیمه‌نامه", on_delete=models.CASCADE, related_name="renewal_reminders"
    )
    kind = models.CharField("نوع", max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField("زمان ارسال", auto_now_add=True)

    class Meta:
        verbose_name = "دعوت به تمدید"
        verbose_name_plural = "دعوت‌های تمدید"
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="one_renewal_reminder_per_kind")]

    def __str__(self):
        return f"{self.policy_id}:{self.kind}"


class CapitalReview(models.Model):
    """Staff's review of a policy on a capital review list [001]: approved and filed at once, or
    defects found, which the issuing office corrects by an endorsement before approval."""

    class Level(models.TextChoices):
        MONTHLY = "monthly", "بررسی ماهانه اداره نظارت (بیش از ۱۰ میلیارد ریال)"
        CENTRAL = "central", "ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)"
        DAILY = "daily", "بررسی روزانه (بیش از ۶۳ میلیارد ریال)"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "تأیید و بایگانی"
        DEFECTS = "defects", "ایراد دارد؛ در انتظار الحاقی اصلاحی"

    policy = models.ForeignKey(
        Policy, verbose_name="بیمه‌نامه", on_delete=models.CASCADE, related_name="capital_reviews"
    )
    level = models.CharField("فهرست بررسی", max_length=16, choices=Level.choices)
    outcome = models.CharField("نتیجه", max_length=16, choices=Outcome.choices, default=Outcome.APPROVED)
    defects = models.TextField("ایرادات", blank=True)
    # The endorsement that corrected the defects; the review is approved only after it [001].
    corrected_by = models.ForeignKey(
        Endorsement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="الحاقی اصلاحی"
    )
    approved_at = models.DateTimeField("زمان تأیید", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بررسی‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("زمان بررسی", auto_now_add=True)
    note = models.TextField("یادداشت", blank=True)

    class Meta:
        verbose_name = "بررسی سرمایه"
        verbose_name_plural = "بررسی‌های سرمایه"
        constraints = [models.UniqueConstraint(fields=["policy", "level"], name="one_capital_review_per_level")]

    def __str__(self):
        return f"{self.policy_id}:{self.level}"


# Proxies: one admin changelist per capital review list (admin.py filters each).
class MonthlyReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = "فهرست بررسی ماهانه (بیش از ۱۰ میلیارد ریال)"
        verbose_name_plural = "فهرست بررسی ماهانه (بیش از ۱۰ میلیارد ریال)"


class CentralInsuranceReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = "فهرست ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)"
        verbose_name_plural = "فهرست ارسال به بیمه مرکزی (بیش از ۴۰ میلیارد ریال)"


class DailyReviewPolicy(Policy):
    class Meta:
        proxy = True
        verbose_name = "فهرست بررسی روزانه (بیش از ۶۳ میلیارد ریال)"
        verbose_name_plural = "فهرست بررسی روزانه (بیش از ۶۳ میلیارد ریال)"


class AwaitingAuthorisationPolicy(Policy):
    """Staff's list of special cases waiting for the supervision office's authorisation [001]."""

    class Meta:
        proxy = True
        verbose_name = "در انتظار مجوز اداره نظارت"
        verbose_name_plural = "در انتظار مجوز اداره نظارت (بیمه‌نامه‌های خاص)"


class CustomerLink(models.Model):
    """An agent's request to serve a customer they brought in (ارتباط با بیمه‌گذار).

    Recording a policy by mobile needs a relationship (`policies.relationships`); for a
    customer who never accepted this agent's answer, this row is it, once the holder of
    the number confirms it: by reading the SMS code to the agent, or in their account.
    Until then the agent learns nothing about the number, registered or not. Only a salted
    hash of the code is kept; `customer` is set on confirmation.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "در انتظار تأیید بیمه‌گذار"
        CONFIRMED = "confirmed", "تأییدشده"
        DECLINED = "declined", "ردشده"
        EXPIRED = "expired", "منقضی‌شده"

    class ConfirmedBy(models.TextChoices):
        CODE = "code", "کد پیامکی"
        ACCOUNT = "account", "حساب کاربری"

    agent = models.ForeignKey(
        "agents.Agent", verbose_name="نماینده", on_delete=models.CASCADE, related_name="customer_links"
    )
    mobile = models.CharField("شماره همراه", max_length=11, db_index=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="مشتری",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agent_links",
    )
    status = models.CharField("وضعیت", max_length=12, choices=Status.choices, default=Status.PENDING)
    code_hash = models.CharField("درهم‌سازی کد", max_length=64, blank=True)
    code_salt = models.CharField("نمک کد", max_length=32, blank=True)
    code_sent_at = models.DateTimeField("زمان ارسال کد", null=True, blank=True)
    code_expires_at = models.DateTimeField("زمان انقضای کد", null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField("دفعات تلاش", default=0)
    codes_sent = models.PositiveSmallIntegerField("تعداد کدهای ارسال‌شده", default=0)
    created_at = models.DateTimeField("زمان ساخت")
    expires_at = models.DateTimeField("زمان انقضا")
    decided_at = models.DateTimeField("زمان تصمیم", null=True, blank=True)
    confirmed_by = models.CharField("تأییدشده از راه", max_length=8, choices=ConfirmedBy.choices, blank=True)

    class Meta:
        verbose_name = "ارتباط نماینده و بیمه‌گذار"
        verbose_name_plural = "ارتباط‌های نماینده و بیمه‌گذار"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "mobile"], condition=Q(status="pending"), name="one_pending_link_per_agent_and_mobile"
            )
        ]

    def __str__(self):
        return f"{self.agent_id}:{self.mobile}:{self.status}"
