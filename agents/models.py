"""Agents (نمایندگان), their onboarding, terms, subscriptions and invoices.

State changes go through `agents.services`; nothing here writes on its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import private_storage_name


def licence_upload_to(instance, filename):
    return private_storage_name(f"agents/licences/{instance.pk or 'new'}", filename)


class Agent(models.Model):
    """An insurance agent (نماینده): one insurer, one agency code, one licence."""

    class Status(models.TextChoices):
        PENDING_TERMS = "pending_terms", _("در انتظار پذیرش مقررات")
        PENDING_DOCUMENTS = "pending_documents", _("در انتظار ارسال مدارک")
        PENDING_VERIFICATION = "pending_verification", _("در انتظار بررسی مدارک")
        VERIFIED = "verified", _("تأییدشده")
        REJECTED = "rejected", _("ردشده")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.PROTECT, related_name="agent"
    )
    insurer = models.ForeignKey(
        "insurers.Insurer", verbose_name=_("بیمه‌گر"), on_delete=models.PROTECT, related_name="agents"
    )
    agency_code = models.CharField(_("کد نمایندگی"), max_length=20)
    agency_name = models.CharField(_("نام نمایندگی"), max_length=120)
    province = models.ForeignKey(
        "insurers.Province", verbose_name=_("استان"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("شهر"), max_length=60)
    postal_address = models.CharField(_("نشانی پستی"), max_length=300)
    postal_code = models.CharField(_("کد پستی"), max_length=10)
    office_phone = models.CharField(_("تلفن دفتر"), max_length=11)
    status = models.CharField(
        _("وضعیت"), max_length=24, choices=Status.choices, default=Status.PENDING_TERMS, db_index=True
    )
    chosen_plan = models.ForeignKey(
        "agents.Plan",
        verbose_name=_("اشتراک انتخاب‌شده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    licence_number = models.CharField(_("شماره پروانه"), max_length=30, blank=True)
    licence_expires_on = models.DateField(_("تاریخ انقضای پروانه"), null=True, blank=True)
    licence_file = models.FileField(_("تصویر پروانه"), upload_to=licence_upload_to, blank=True, max_length=200)
    licence_content_type = models.CharField(_("نوع فایل پروانه"), max_length=40, blank=True)
    licence_uploaded_at = models.DateTimeField(_("زمان ارسال مدارک"), null=True, blank=True)
    service_provinces = models.ManyToManyField(
        "insurers.Province", verbose_name=_("استان‌های محل خدمت"), blank=True, related_name="serving_agents"
    )
    decided_at = models.DateTimeField(_("زمان بررسی"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بررسی‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("دلیل رد"), blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("نماینده")
        verbose_name_plural = _("نمایندگان")
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

    version = models.PositiveIntegerField(_("نسخه"), unique=True)
    title = models.CharField(_("عنوان"), max_length=150, default=_("مقررات و ضوابط پرداخت نمایندگان"))
    text = models.TextField(_("متن"))
    published_at = models.DateTimeField(_("زمان انتشار"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("نسخه مقررات")
        verbose_name_plural = _("نسخه‌های مقررات")

    def __str__(self):
        return gettext("%(title)s — نسخه %(version)s") % {"title": self.title, "version": self.version}


class TermsAcceptance(models.Model):
    """Proof that an agent accepted one terms version: when, from which address, with which plan."""

    agent = models.ForeignKey(Agent, verbose_name=_("نماینده"), on_delete=models.CASCADE, related_name="acceptances")
    terms = models.ForeignKey(
        TermsVersion, verbose_name=_("نسخه مقررات"), on_delete=models.PROTECT, related_name="acceptances"
    )
    plan = models.ForeignKey(
        "agents.Plan", verbose_name=_("اشتراک انتخاب‌شده"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("زمان پذیرش"), default=timezone.now)
    ip = models.GenericIPAddressField(_("نشانی IP"), null=True, blank=True)
    user_agent = models.CharField(_("مرورگر"), max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("پذیرش مقررات")
        verbose_name_plural = _("پذیرش‌های مقررات")
        constraints = [models.UniqueConstraint(fields=["agent", "terms"], name="terms_accepted_once_per_version")]

    def __str__(self):
        return gettext("%(agent)s — نسخه %(version)s") % {"agent": self.agent, "version": self.terms.version}


class Plan(models.Model):
    """A paid subscription plan (نوع حساب کاربری), edited by staff. Price in rial."""

    code = models.SlugField(_("کد"), max_length=30, unique=True)
    title = models.CharField(_("عنوان"), max_length=100)
    days = models.PositiveIntegerField(_("مدت (روز)"))
    price = models.PositiveBigIntegerField(_("قیمت (ریال)"))
    is_active = models.BooleanField(_("قابل خرید"), default=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    class Meta:
        ordering = ["order", "days"]
        verbose_name = _("طرح اشتراک")
        verbose_name_plural = _("طرح‌های اشتراک")

    def __str__(self):
        return self.title


class Subscription(models.Model):
    """One period of access: the free trial or one paid plan purchase.

    `ends_on` is the last day (Asia/Tehran) the gateway is open. A renewal is a new row
    starting the day after the current coverage ends, so periods never overlap.
    """

    class Kind(models.TextChoices):
        TRIAL = "trial", _("آزمایشی رایگان")
        PAID = "paid", _("پولی")

    agent = models.ForeignKey(Agent, verbose_name=_("نماینده"), on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("نوع"), max_length=8, choices=Kind.choices)
    plan = models.ForeignKey(
        Plan, verbose_name=_("طرح"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.OneToOneField(
        "agents.Invoice",
        verbose_name=_("صورتحساب"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscription",
    )
    starts_on = models.DateField(_("از تاریخ"))
    ends_on = models.DateField(_("تا تاریخ"))
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("اشتراک")
        verbose_name_plural = _("اشتراک‌ها")
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
        return gettext("%(agent)s — %(kind)s تا %(ends_on)s") % {
            "agent": self.agent,
            "kind": self.get_kind_display(),
            "ends_on": self.ends_on,
        }


class TrialUsage(models.Model):
    """A free trial, remembered forever by each key it was granted under.

    One row per (key, value): the person (user id), their national code and the
    insurer-scoped agency code. The unique constraint is what makes "once, ever" hold
    even for two simultaneous requests; rows outlive the agent on purpose.
    """

    class Key(models.TextChoices):
        PERSON = "person", _("شخص")
        NATIONAL_CODE = "national_code", _("کد ملی")
        AGENCY_CODE = "agency_code", _("کد نمایندگی")

    key = models.CharField(_("شناسه"), max_length=16, choices=Key.choices)
    value = models.CharField(_("مقدار"), max_length=80)
    agent = models.ForeignKey(
        Agent, verbose_name=_("نماینده"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        verbose_name = _("سابقه اشتراک آزمایشی")
        verbose_name_plural = _("سوابق اشتراک آزمایشی")
        constraints = [models.UniqueConstraint(fields=["key", "value"], name="trial_once_per_key")]

    def __str__(self):
        return f"{self.get_key_display()}: {self.value}"


class Invoice(models.Model):
    """A bill for one plan purchase (صورتحساب), paid online. Amount in rial."""

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار پرداخت")
        PAID = "paid", _("پرداخت‌شده")
        FAILED = "failed", _("ناموفق")
        CANCELLED = "cancelled", _("لغوشده")

    number = models.CharField(_("شماره"), max_length=20, unique=True)
    agent = models.ForeignKey(Agent, verbose_name=_("نماینده"), on_delete=models.PROTECT, related_name="invoices")
    plan = models.ForeignKey(Plan, verbose_name=_("طرح"), on_delete=models.PROTECT, related_name="invoices")
    amount = models.PositiveBigIntegerField(_("مبلغ (ریال)"))
    status = models.CharField(_("وضعیت"), max_length=12, choices=Status.choices, default=Status.PENDING)
    gateway = models.CharField(_("درگاه"), max_length=20)
    authority = models.CharField(_("شناسه پرداخت"), max_length=64, null=True, blank=True, unique=True)
    ref_id = models.CharField(_("کد پیگیری"), max_length=64, blank=True)
    card_pan = models.CharField(_("کارت"), max_length=20, blank=True)
    failure_reason = models.CharField(_("علت ناموفق"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("زمان صدور"), auto_now_add=True)
    paid_at = models.DateTimeField(_("زمان پرداخت"), null=True, blank=True)
    # Set by the one caller (callback, "check again" or reconcile) that won the right to
    # ask the gateway about this payment; cleared when it settles or gives up. A claim
    # older than `conf.payment_verify_claim_lifetime()` belonged to a process that died.
    verifying_since = models.DateTimeField(_("در حال استعلام از"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("صورتحساب")
        verbose_name_plural = _("صورتحساب‌ها")

    def __str__(self):
        return self.number

    @property
    def awaits_confirmation(self) -> bool:
        """Sent to the gateway and not settled yet: the payer may have paid, so "check again"."""
        return self.status == self.Status.PENDING and bool(self.authority)


class SubscriptionNotice(models.Model):
    """A claimed reminder: written before the SMS goes out, so a rerun sends nothing twice."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", _("رو به پایان")
        EXPIRED = "expired", _("پایان یافته")

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("اشتراک"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("نوع"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("زمان ارسال"), auto_now_add=True)

    class Meta:
        verbose_name = _("اطلاع‌رسانی اشتراک")
        verbose_name_plural = _("اطلاع‌رسانی‌های اشتراک")
        constraints = [models.UniqueConstraint(fields=["subscription", "kind"], name="subscription_notice_once")]

    def __str__(self):
        return f"{self.subscription_id} {self.kind}"


class SandboxPayment(models.Model):
    """The development gateway's own ledger: what the payer chose on the sandbox page.

    It plays the role of the bank's records, so the merchant side (Invoice) can be
    verified against it exactly as against Zarinpal.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("در انتظار")
        PAID = "paid", _("پرداخت شد")
        FAILED = "failed", _("ناموفق")
        CANCELLED = "cancelled", _("انصراف")

    authority = models.CharField(_("شناسه پرداخت"), max_length=64, unique=True)
    amount = models.PositiveBigIntegerField(_("مبلغ (ریال)"))
    description = models.CharField(_("شرح"), max_length=200, blank=True)
    callback_url = models.CharField(_("نشانی بازگشت"), max_length=500)
    outcome = models.CharField(_("نتیجه"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    ref_id = models.CharField(_("کد پیگیری"), max_length=64, blank=True)
    verified_at = models.DateTimeField(_("زمان تأیید"), null=True, blank=True)
    created_at = models.DateTimeField(_("زمان ساخت"), auto_now_add=True)

    class Meta:
        verbose_name = _("پرداخت آزمایشی")
        verbose_name_plural = _("پرداخت‌های آزمایشی")

    def __str__(self):
        return self.authority
