"""Agents (نمایندگان), their onboarding, terms, subscriptions and invoices.

State changes go through `agents.services`; nothing here writes on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.uploads import private_storage_name


def licence_upload_to(instance, filename):
    return private_storage_name(f"agents/licences/{instance.pk or 'new'}", filename)


class Agent(models.Model):
    """An insurance agent (نماینده): one insurer, one agency code, one licence."""

    class Status(models.TextChoices):
        PENDING_TERMS = "pending_terms", "در انتظار پذیرش مقررات"
        PENDING_DOCUMENTS = "pending_documents", "در انتظار ارسال مدارک"
        PENDING_VERIFICATION = "pending_verification", "در انتظار بررسی مدارک"
        VERIFIED = "verified", "تأییدشده"
        REJECTED = "rejected", "ردشده"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.PROTECT, related_name="agent"
    )
    insurer = models.ForeignKey(
        "insurers.Insurer", verbose_name="بیمه‌گر", on_delete=models.PROTECT, related_name="agents"
    )
    agency_code = models.CharField("کد نمایندگی", max_length=20)
    agency_name = models.CharField("نام نمایندگی", max_length=120)
    province = models.ForeignKey("insurers.Province", verbose_name="استان", on_delete=models.PROTECT, related_name="+")
    city = models.CharField("شهر", max_length=60)
    postal_address = models.CharField("نشانی پستی", max_length=300)
    postal_code = models.CharField("کد پستی", max_length=10)
    office_phone = models.CharField("تلفن دفتر", max_length=11)
    status = models.CharField(
        "وضعیت", max_length=24, choices=Status.choices, default=Status.PENDING_TERMS, db_index=True
    )
    chosen_plan = models.ForeignKey(
        "agents.Plan",
        verbose_name="اشتراک انتخاب‌شده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    licence_number = models.CharField("شماره پروانه", max_length=30, blank=True)
    licence_expires_on = models.DateField("تاریخ انقضای پروانه", null=True, blank=True)
    licence_file = models.FileField("تصویر پروانه", upload_to=licence_upload_to, blank=True, max_length=200)
    licence_content_type = models.CharField("نوع فایل پروانه", max_length=40, blank=True)
    licence_uploaded_at = models.DateTimeField("زمان ارسال مدارک", null=True, blank=True)
    service_provinces = models.ManyToManyField(
        "insurers.Province", verbose_name="استان‌های محل خدمت", blank=True, related_name="serving_agents"
    )
    decided_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بررسی‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField("دلیل رد", blank=True)
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "نماینده"
        verbose_name_plural = "نمایندگان"
        constraints = [
            # SPEC §3: one agency code per insurer; the service turns a clash into 409.
            models.UniqueConstraint(fields=["insurer", "agency_code"], name="agent_unique_agency_code_per_insurer"),
        ]

    def __str__(self):
        return f"{self.agency_name} ({self.agency_code})"


class TermsVersion(models.Model):
    """Regulations and payment terms (مقررات و ضوابط پرداخت), one row per published version.

    A version others have accepted is never edited: staff publish a new one, and every
    agent must accept it before their gateway opens again.
    """

    version = models.PositiveIntegerField("نسخه", unique=True)
    title = models.CharField("عنوان", max_length=150, default="مقررات و ضوابط پرداخت نمایندگان")
    text = models.TextField("متن")
    published_at = models.DateTimeField("زمان انتشار", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ثبت‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = "نسخه مقررات"
        verbose_name_plural = "نسخه‌های مقررات"

    def __str__(self):
        return f"{self.title} — نسخه {self.version}"


class TermsAcceptance(models.Model):
    """Proof that an agent accepted one terms version: when, from which address, with which plan."""

    agent = models.ForeignKey(Agent, verbose_name="نماینده", on_delete=models.CASCADE, related_name="acceptances")
    terms = models.ForeignKey(
        TermsVersion, verbose_name="نسخه مقررات", on_delete=models.PROTECT, related_name="acceptances"
    )
    plan = models.ForeignKey(
        "agents.Plan", verbose_name="اشتراک انتخاب‌شده", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField("زمان پذیرش", default=timezone.now)
    ip = models.GenericIPAddressField("نشانی IP", null=True, blank=True)
    user_agent = models.CharField("مرورگر", max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = "پذیرش مقررات"
        verbose_name_plural = "پذیرش‌های مقررات"
        constraints = [models.UniqueConstraint(fields=["agent", "terms"], name="terms_accepted_once_per_version")]

    def __str__(self):
        return f"{self.agent} — نسخه {self.terms.version}"


class Plan(models.Model):
    """A paid subscription plan (نوع حساب کاربری), edited by staff. Price in rial."""

    code = models.SlugField("کد", max_length=30, unique=True)
    title = models.CharField("عنوان", max_length=100)
    days = models.PositiveIntegerField("مدت (روز)")
    price = models.PositiveBigIntegerField("قیمت (ریال)")
    is_active = models.BooleanField("قابل خرید", default=True)
    order = models.PositiveSmallIntegerField("ترتیب", default=0)

    class Meta:
        ordering = ["order", "days"]
        verbose_name = "طرح اشتراک"
        verbose_name_plural = "طرح‌های اشتراک"

    def __str__(self):
        return self.title


class Subscription(models.Model):
    """One period of access: the free trial or one paid plan purchase.

    `ends_on` is the last day (Asia/Tehran) the gateway is open. A renewal is a new row
    starting the day after the current coverage ends, so periods never overlap.
    """

    class Kind(models.TextChoices):
        TRIAL = "trial", "آزمایشی رایگان"
        PAID = "paid", "پولی"

    agent = models.ForeignKey(Agent, verbose_name="نماینده", on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField("نوع", max_length=8, choices=Kind.choices)
    plan = models.ForeignKey(
        Plan, verbose_name="طرح", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.OneToOneField(
        "agents.Invoice",
        verbose_name="صورتحساب",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscription",
    )
    starts_on = models.DateField("از تاریخ")
    ends_on = models.DateField("تا تاریخ")
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = "اشتراک"
        verbose_name_plural = "اشتراک‌ها"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="subscription_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind="trial", invoice__isnull=True) | Q(kind="paid", invoice__isnull=False),
                name="subscription_paid_has_invoice",
            ),
        ]

    def __str__(self):
        return f"{self.agent} — {self.get_kind_display()} تا {self.ends_on}"


class TrialUsage(models.Model):
    """A free trial, remembered forever by each key it was granted under.

    One row per (key, value): the person (user id), their national code and the
    insurer-scoped agency code. The unique constraint is what makes "once, ever" hold
    even for two simultaneous requests; rows outlive the agent on purpose.
    """

    class Key(models.TextChoices):
        PERSON = "person", "شخص"
        NATIONAL_CODE = "national_code", "کد ملی"
        AGENCY_CODE = "agency_code", "کد نمایندگی"

    key = models.CharField("شناسه", max_length=16, choices=Key.choices)
    value = models.CharField("مقدار", max_length=80)
    agent = models.ForeignKey(
        Agent, verbose_name="نماینده", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        verbose_name = "سابقه اشتراک آزمایشی"
        verbose_name_plural = "سوابق اشتراک آزمایشی"
        constraints = [models.UniqueConstraint(fields=["key", "value"], name="trial_once_per_key")]

    def __str__(self):
        return f"{self.get_key_display()}: {self.value}"


class Invoice(models.Model):
    """A bill for one plan purchase (صورتحساب), paid online. Amount in rial."""

    class Status(models.TextChoices):
        PENDING = "pending", "در انتظار پرداخت"
        PAID = "paid", "پرداخت‌شده"
        FAILED = "failed", "ناموفق"
        CANCELLED = "cancelled", "لغوشده"

    number = models.CharField("شماره", max_length=20, unique=True)
    agent = models.ForeignKey(Agent, verbose_name="نماینده", on_delete=models.PROTECT, related_name="invoices")
    plan = models.ForeignKey(Plan, verbose_name="طرح", on_delete=models.PROTECT, related_name="invoices")
    amount = models.PositiveBigIntegerField("مبلغ (ریال)")
    status = models.CharField("وضعیت", max_length=12, choices=Status.choices, default=Status.PENDING)
    gateway = models.CharField("درگاه", max_length=20)
    authority = models.CharField("شناسه پرداخت", max_length=64, null=True, blank=True, unique=True)
    ref_id = models.CharField("کد پیگیری", max_length=64, blank=True)
    card_pan = models.CharField("کارت", max_length=20, blank=True)
    failure_reason = models.CharField("علت ناموفق", max_length=200, blank=True)
    created_at = models.DateTimeField("زمان صدور", auto_now_add=True)
    paid_at = models.DateTimeField("زمان پرداخت", null=True, blank=True)
    # Set by the one caller (callback, "check again" or reconcile) that won the right to
    # ask the gateway about this payment; cleared when it settles or gives up. A claim
    # older than `conf.payment_verify_claim_lifetime()` belonged to a process that died.
    verifying_since = models.DateTimeField("در حال استعلام از", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "صورتحساب"
        verbose_name_plural = "صورتحساب‌ها"

    def __str__(self):
        return self.number

    @property
    def awaits_confirmation(self) -> bool:
        """Sent to the gateway and not settled yet: the payer may have paid, so "check again"."""
        return self.status == self.Status.PENDING and bool(self.authority)


class SubscriptionNotice(models.Model):
    """A claimed reminder: written before the SMS goes out, so a rerun sends nothing twice."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", "رو به پایان"
        EXPIRED = "expired", "پایان یافته"

    subscription = models.ForeignKey(
        Subscription, verbose_name="اشتراک", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("نوع", max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField("زمان ارسال", auto_now_add=True)

    class Meta:
        verbose_name = "اطلاع‌رسانی اشتراک"
        verbose_name_plural = "اطلاع‌رسانی‌های اشتراک"
        constraints = [models.UniqueConstraint(fields=["subscription", "kind"], name="subscription_notice_once")]

    def __str__(self):
        return f"{self.subscription_id} {self.kind}"


class SandboxPayment(models.Model):
    """The development gateway's own ledger: what the payer chose on the sandbox page.

    It plays the role of the bank's records, so the merchant side (Invoice) can be
    verified against it exactly as against Zarinpal.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "در انتظار"
        PAID = "paid", "پرداخت شد"
        FAILED = "failed", "ناموفق"
        CANCELLED = "cancelled", "انصراف"

    authority = models.CharField("شناسه پرداخت", max_length=64, unique=True)
    amount = models.PositiveBigIntegerField("مبلغ (ریال)")
    description = models.CharField("شرح", max_length=200, blank=True)
    callback_url = models.CharField("نشانی بازگشت", max_length=500)
    outcome = models.CharField("نتیجه", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    ref_id = models.CharField("کد پیگیری", max_length=64, blank=True)
    verified_at = models.DateTimeField("زمان تأیید", null=True, blank=True)
    created_at = models.DateTimeField("زمان ساخت", auto_now_add=True)

    class Meta:
        verbose_name = "پرداخت آزمایشی"
        verbose_name_plural = "پرداخت‌های آزمایشی"

    def __str__(self):
        return self.authority
