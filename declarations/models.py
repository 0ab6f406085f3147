"""Floating (declaration) fire policies: بیمه‌نامه شناور / اظهارنامه‌ای [001].

The insured declares the previous month's stock by the 10th of the next solar month;
the issuing office records the letter (برگ تأیید وصول اظهارنامه) and the final premium
is settled from the declarations. `FloatingPolicy` holds the declaration terms of one
`policies.Policy`; `StockDeclaration` is one month's declaration; `DeclarationReminder`
is the claim row of one reminder (written before the SMS, so each goes out once).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FloatingPolicy(models.Model):
    policy = models.OneToOneField(
        "policies.Policy",
        verbose_name=_("بیمه‌نامه"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="floating_terms",
    )
    # The ceiling of the stock the policy covers; the premium is settled on declarations.
    max_stock_value = models.BigIntegerField(_("سقف ارزش موجودی (ریال)"))
    declaration_due_day = models.PositiveSmallIntegerField(_("مهلت اعلام (روز ماه بعد)"), default=10)
    # The end-of-period settlement (معدل‌گیری): the endorsement that brought the premium to
    # the one computed from the declarations; written once [004].
    settlement = models.OneToOneField(
        "policies.Endorsement",
        verbose_name=_("الحاقی تعیین حق‌بیمه قطعی"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="floating_settlement",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        verbose_name = _("بیمه‌نامه شناور")
        verbose_name_plural = _("بیمه‌نامه‌های شناور")
        constraints = [
            models.CheckConstraint(condition=Q(max_stock_value__gt=0), name="floating_max_stock_positive"),
            models.CheckConstraint(
                condition=Q(declaration_due_day__gte=1, declaration_due_day__lte=29),
                name="floating_due_day_in_month",
            ),
        ]

    def __str__(self):
        return gettext("شناور %(policy)s") % {"policy": self.policy_id}


class StockDeclaration(models.Model):
    """The stock value of one solar month, declared by the insured (one per month)."""

    floating_policy = models.ForeignKey(
        FloatingPolicy, verbose_name=_("بیمه‌نامه شناور"), on_delete=models.CASCADE, related_name="declarations"
    )
    year = models.PositiveSmallIntegerField(_("سال شمسی"))
    month = models.PositiveSmallIntegerField(_("ماه شمسی"))
    stock_value = models.BigIntegerField(_("ارزش موجودی (ریال)"))
    declared_on = models.DateField(_("تاریخ نامه اعلام"))
    late = models.BooleanField(_("اعلام پس از مهلت"), default=False)
    over_limit = models.BooleanField(_("بیش از سقف"), default=False)
    # The ceiling in force when the letter came; a stock above it raised the ceiling by an
    # additional endorsement (الحاقی اضافی) [004], linked here.
    limit = models.BigIntegerField(_("سقف در زمان اعلام (ریال)"), null=True, blank=True)
    endorsement = models.OneToOneField(
        "policies.Endorsement",
        verbose_name=_("الحاقی اضافی"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_declaration",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["floating_policy", "-year", "-month"]
        verbose_name = _("اظهارنامه موجودی")
        verbose_name_plural = _("اظهارنامه‌های موجودی")
        constraints = [
            models.UniqueConstraint(
                fields=["floating_policy", "year", "month"], name="one_stock_declaration_per_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="declaration_month_valid"),
            models.CheckConstraint(condition=Q(stock_value__gte=0), name="declaration_stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.floating_policy_id}:{self.year}/{self.month:02d}"


class DeclarationReminder(models.Model):
    """One reminder (or the missing-declaration flag) for one policy and month; unique."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("یادآوری پیش از مهلت")
        MISSING = "missing", _("اعلام‌نشده پس از مهلت")

    floating_policy = models.ForeignKey(
        FloatingPolicy, verbose_name=_("بیمه‌نامه شناور"), on_delete=models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField(_("سال شمسی"))
    month = models.PositiveSmallIntegerField(_("ماه شمسی"))
    kind = models.CharField(_("نوع"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(_("زمان ارسال"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month", "floating_policy"]
        verbose_name = _("یادآوری اظهارنامه")
        verbose_name_plural = _("یادآوری‌های اظهارنامه")
        constraints = [
            models.UniqueConstraint(
                fields=["floating_policy", "year", "month", "kind"], name="one_declaration_reminder_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.floating_policy_id}:{self.year}/{self.month:02d}:{self.kind}"
