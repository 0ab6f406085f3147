"""The marketplace: a customer's request (درخواست), its deliveries to agents (leads), the
agents' answers (اعلام آمادگی), acceptance with the contact reveal, and ratings.

State changes go through `insurance_requests.services`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.text import to_persian_digits


class InsuranceRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("باز؛ در انتظار پاسخ نمایندگان")
        ACCEPTED = "accepted", _("در حال همکاری")
        ENDED = "ended", _("همکاری پایان یافت")
        CANCELLED = "cancelled", _("لغو شد")
        EXPIRED = "expired", _("منقضی شد")

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بیمه‌گذار"),
        on_delete=models.PROTECT,
        related_name="insurance_requests",
    )
    line = models.ForeignKey(
        "insurers.InsuranceLine", verbose_name=_("رشته"), on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(_("مشخصات"), default=dict, blank=True)
    insurers = models.ManyToManyField("insurers.Insurer", verbose_name=_("بیمه‌گران"), related_name="+")
    province = models.ForeignKey(
        "insurers.Province", verbose_name=_("استان"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("شهر"), max_length=60)
    note = models.TextField(_("توضیحات"), blank=True)
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("درخواست قبلی"), null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    # Agents the customer ended a cooperation with, along the whole repost chain: never offered again.
    excluded_agents = models.ManyToManyField(
        "agents.Agent", verbose_name=_("نمایندگان کنارگذاشته‌شده"), blank=True, related_name="+"
    )
    accepted_response = models.OneToOneField(
        "LeadResponse",
        verbose_name=_("پاسخ پذیرفته‌شده"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_for",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("انقضا"))
    accepted_at = models.DateTimeField(_("زمان پذیرش"), null=True, blank=True)
    ended_at = models.DateTimeField(_("پایان همکاری"), null=True, blank=True)
    end_reason = models.TextField(_("دلیل پایان همکاری"), blank=True)
    cancelled_at = models.DateTimeField(_("زمان لغو"), null=True, blank=True)
    # The prices the customer was shown when posting from a quote (issue 14 point 2):
    # {"quotes": [{"insurer", "insurer_name", "premium", "breakdown": [{"code", "label", "amount"}]}]}
    # for the chosen insurers, and the tariff year they were computed with. Empty for a request
    # posted without a quote (the "other" line, or an old request).
    quote = models.JSONField(_("قیمت اعلام‌شده هنگام ثبت"), default=dict, blank=True)
    quote_tariff_year = models.PositiveSmallIntegerField(_("سال تعرفه قیمت اعلام‌شده"), null=True, blank=True)
    # A renewal request is offered first to the agent who issued the policy (issue 14 point 6);
    # the other agents receive it once `preferred_until` has passed.
    preferred_agent = models.ForeignKey(
        "agents.Agent",
        verbose_name=_("نماینده اولویت‌دار"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preferred_until = models.DateTimeField(_("پایان اولویت نماینده"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("درخواست بیمه")
        verbose_name_plural = _("درخواست‌های بیمه")
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return gettext("درخواست شماره %(number)s — %(line)s") % {
            "number": to_persian_digits(self.pk),
            "line": self.line,
        }


class Delivery(models.Model):
    """A request offered to one agent: a row in that agent's lead inbox."""

    request = models.ForeignKey(
        InsuranceRequest, verbose_name=_("درخواست"), on_delete=models.CASCADE, related_name="deliveries"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("نماینده"), on_delete=models.CASCADE, related_name="deliveries"
    )
    created_at = models.DateTimeField(_("زمان ارسال"), auto_now_add=True)
    # Claimed by a conditional UPDATE, so a reminder goes out once per lead.
    reminded_at = models.DateTimeField(_("زمان یادآوری"), null=True, blank=True)

    class Meta:
        verbose_name = _("ارسال درخواست به نماینده")
        verbose_name_plural = _("ارسال‌های درخواست به نمایندگان")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request", "agent"], name="one_delivery_per_agent")]
        # Exactly the inbox's ORDER BY, so a page is an index range scan whatever the inbox size.
        indexes = [models.Index(fields=["agent", "-created_at", "-id"], name="delivery_inbox_order")]

    def __str__(self):
        return f"{self.request_id}→{self.agent_id}"


class LeadResponse(models.Model):
    """An agent's declaration of readiness (اعلام آمادگی) with its offer; at most one per insurer per request.

    The offer (issue 14 point 1): the premium the agent asks, the tariff's premium it was
    priced against, cash or instalments with the schedule, the covers and a validity date.
    Responses made before offers existed have no premium.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار تصمیم بیمه‌گذار")
        ACCEPTED = "accepted", _("پذیرفته شد")
        ENDED = "ended", _("همکاری پایان یافت")

    class PaymentPlan(models.TextChoices):
        CASH = "cash", _("نقدی")
        INSTALLMENTS = "installments", _("اقساطی")

    request = models.ForeignKey(
        InsuranceRequest, verbose_name=_("درخواست"), on_delete=models.CASCADE, related_name="responses"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("نماینده"), on_delete=models.PROTECT, related_name="lead_responses"
    )
    insurer = models.ForeignKey(
        "insurers.Insurer", verbose_name=_("بیمه‌گر"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("پیام"), blank=True)
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("زمان ثبت پاسخ"), auto_now_add=True)
    response_seconds = models.PositiveIntegerField(_("زمان پاسخ (ثانیه)"))
    premium = models.PositiveBigIntegerField(_("حق‌بیمه پیشنهادی (ریال)"), null=True, blank=True)
    # What the tariff gives for this insurer and the request's inputs when the offer was made;
    # the agent's discount is the difference. Null for the "other" line (no tariff).
    quoted_premium = models.PositiveBigIntegerField(_("حق‌بیمه طبق تعرفه (ریال)"), null=True, blank=True)
    payment_plan = models.CharField(
        _("شیوه پرداخت"), max_length=16, choices=PaymentPlan.choices, default=PaymentPlan.CASH
    )
    # [{"due_on": "YYYY-MM-DD", "amount": rial}], summing to `premium`; one row for cash.
    installments = models.JSONField(_("اقساط"), default=list, blank=True)
    covers = models.JSONField(_("پوشش‌ها"), default=list, blank=True)
    valid_until = models.DateField(_("اعتبار پیشنهاد تا"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The marketplace's first rule: the first agent of an insurer wins, atomically.
            models.UniqueConstraint(fields=["request", "insurer"], name="one_response_per_insurer"),
        ]
        verbose_name = _("اعلام آمادگی")
        verbose_name_plural = _("اعلام آمادگی‌ها")

    def __str__(self):
        return f"{self.request_id}:{self.insurer_id}"


class ContactReveal(models.Model):
    """Consent log: who saw whose contact details, when (one row per direction)."""

    request = models.ForeignKey(
        InsuranceRequest, verbose_name=_("درخواست"), on_delete=models.PROTECT, related_name="reveals"
    )
    response = models.ForeignKey(LeadResponse, verbose_name=_("پاسخ"), on_delete=models.PROTECT, related_name="reveals")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("بیننده"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("صاحب اطلاعات"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("زمان نمایش"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("نمایش اطلاعات تماس")
        verbose_name_plural = _("گزارش نمایش اطلاعات تماس")

    def __str__(self):
        return f"{self.viewer_id} saw {self.subject_id}"


class AgentRating(models.Model):
    request = models.OneToOneField(
        InsuranceRequest, verbose_name=_("درخواست"), on_delete=models.CASCADE, related_name="rating"
    )
    agent = models.ForeignKey(
        "agents.Agent", verbose_name=_("نماینده"), on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(_("امتیاز"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("نظر"), blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        verbose_name = _("امتیاز نماینده")
        verbose_name_plural = _("امتیازهای نمایندگان")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="score_1_to_5")]

    def __str__(self):
        return f"{self.agent_id}: {self.score}"


class ContactDetailsRefusal(models.Model):
    """A free text refused because it carried contact details before acceptance (issue 13 point 2).

    Staff review the attempts per agent. The refused text itself is not kept: only what kinds
    of detail were found and a masked excerpt (`core.contact_details.masked`).
    """

    class Where(models.TextChoices):
        LEAD_RESPONSE = "lead_response", _("پیام اعلام آمادگی")
        REQUEST_NOTE = "request_note", _("توضیحات درخواست")
        REQUEST_CITY = "request_city", _("شهر درخواست")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        "agents.Agent",
        verbose_name=_("نماینده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_refusals",
    )
    request = models.ForeignKey(
        InsuranceRequest, verbose_name=_("درخواست"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    where = models.CharField(_("کجا"), max_length=16, choices=Where.choices)
    kinds = models.CharField(_("آنچه پیدا شد"), max_length=40, help_text="phone, email, link, handle, code")
    excerpt = models.CharField(_("بخش پوشیده"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("زمان"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("متن ردشده برای اطلاعات تماس")
        verbose_name_plural = _("متن‌های ردشده برای اطلاعات تماس")

    def __str__(self):
        return f"{self.get_where_display()}: {self.kinds}"
