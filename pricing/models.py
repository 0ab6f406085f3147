"""Tariffs as data: one `Tariff` per solar year, its figures as `TariffRate` rows, and each
insurer's terms per line. Staff edit them in the admin; every save or delete drops the
cached snapshot, so the next quote reads the new figures.
"""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import History
from core.text import LIST_SEPARATOR
from insurers.models import Insurer
from pricing.core.schema import rate_problem

LINE_CHOICES = [
    ("general", _("عمومی (همه رشته‌ها)")),
    ("third_party", _("شخص ثالث")),
    ("body", _("بدنه خودرو")),
    ("fire", _("آتش‌سوزی")),
    ("travel", _("مسافرتی")),
    ("electronics", _("تجهیزات الکترونیک")),
]
QUOTABLE_LINE_CHOICES = LINE_CHOICES[1:]


def _drop_cached_snapshot():
    from pricing.snapshots import snapshot_invalidate

    # Drop now, and again after commit: a quote computed between the two would otherwise
    # re-cache the figures of before the edit until the cache expired.
    snapshot_invalidate()
    transaction.on_commit(snapshot_invalidate)


class SnapshotSourceModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _drop_cached_snapshot()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _drop_cached_snapshot()
        return result


class TariffQuerySet(models.QuerySet):
    # Reads the models' own validation needs live here, not in pricing.selectors: a model's
    # clean() calling a selector that imports the models was a cycle (issue 15 point 6).
    def in_force(self, *, on: dt.date | None = None) -> "Tariff | None":
        """The published tariff whose dates contain `on`; else the latest one already started.

        The fallback keeps quotes working in the first days of a new solar year, before
        staff have entered its tariff; the admin shows which year is being used.
        """
        on = on or timezone.localdate()
        published = self.filter(is_published=True, effective_from__lte=on)
        return published.filter(effective_until__gte=on).first() or published.order_by("-effective_from").first()


class TariffRateQuerySet(models.QuerySet):
    def insurer_bounds(self, *, tariff: "Tariff | None", line: str) -> tuple[Decimal, Decimal]:
        """The Central Insurance bounds of an insurer's adjustment on a line, in one tariff."""
        rows = dict(self.filter(tariff=tariff, line=line, table="insurer_bounds").values_list("key", "value"))
        return Decimal(rows.get("min_adjustment", 0)), Decimal(rows.get("max_adjustment", 0))


class Tariff(SnapshotSourceModel):
    """The figures of one solar year (تعرفه), in force between two dates."""

    solar_year = models.PositiveSmallIntegerField(_("سال شمسی"), unique=True)
    effective_from = models.DateField(_("شروع اعتبار"))
    effective_until = models.DateField(_("پایان اعتبار"))
    is_published = models.BooleanField(_("منتشر شده"), default=True)
    note = models.TextField(_("یادداشت"), blank=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)
    # Every change kept with who and when (issue 15 point 9); the time of the last one is
    # already the history's own.
    history = History(
        verbose_name=_("تاریخچه تعرفه سالانه"),
        verbose_name_plural=_("تاریخچه تعرفه‌های سالانه"),
        excluded_fields=["updated_at"],
    )

    objects = TariffQuerySet.as_manager()

    class Meta:
        ordering = ["-solar_year"]
        verbose_name = _("تعرفه سالانه")
        verbose_name_plural = _("تعرفه‌های سالانه")

    def __str__(self):
        return str(_("تعرفه سال %(year)s") % {"year": self.solar_year})

    def clean(self):
        if self.solar_year and not 1390 <= self.solar_year <= 1500:
            raise ValidationError({"solar_year": _("سال شمسی باید بین ۱۳۹۰ و ۱۵۰۰ باشد.")})
        if self.effective_from and self.effective_until:
            if self.effective_from > self.effective_until:
                raise ValidationError({"effective_until": _("پایان اعتبار پیش از شروع آن است.")})
            if self.is_published:
                overlapping = Tariff.objects.filter(
                    is_published=True,
                    effective_from__lte=self.effective_until,
                    effective_until__gte=self.effective_from,
                ).exclude(pk=self.pk)
                if overlapping.exists():
                    raise ValidationError({"effective_from": _("بازه اعتبار با تعرفه منتشرشده دیگری هم‌پوشانی دارد.")})


class TariffRate(SnapshotSourceModel):
    """One figure of a tariff: line / table / key → value, with where it came from."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="rates", verbose_name=_("تعرفه"))
    line = models.CharField(_("رشته"), max_length=20, choices=LINE_CHOICES)
    table = models.SlugField(_("جدول"), max_length=60)
    key = models.CharField(_("کلید"), max_length=60)
    label = models.CharField(_("عنوان نمایشی"), max_length=200, blank=True)
    value = models.DecimalField(_("مقدار"), max_digits=20, decimal_places=6)
    is_assumption = models.BooleanField(
        _("فرض (بدون منبع رسمی)"),
        default=False,
        help_text=_("رقمی که منبع رسمی ندارد و باید با رقم واقعی جایگزین شود."),
    )
    source = models.CharField(_("منبع"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)
    history = History(verbose_name=_("تاریخچه رقم تعرفه"), verbose_name_plural=_("تاریخچه ارقام تعرفه"))

    objects = TariffRateQuerySet.as_manager()

    class Meta:
        ordering = ["tariff", "line", "table", "order", "id"]
        verbose_name = _("رقم تعرفه")
        verbose_name_plural = _("ارقام تعرفه")
        constraints = [
            models.UniqueConstraint(fields=["tariff", "line", "table", "key"], name="pricing_rate_unique_key"),
        ]

    def __str__(self):
        return f"{self.line}/{self.table}/{self.key} = {self.value}"

    def clean(self):
        if self.line and self.table and self.value is not None:
            problem = rate_problem(self.line, self.table, self.key or "", Decimal(self.value))
            if problem:
                raise ValidationError({problem[0]: problem[1]})


class InsurerLineTerms(SnapshotSourceModel):
    """Whether an insurer offers a line, and its discount (−) or loading (+) on the tariff."""

    insurer = models.ForeignKey(
        Insurer, on_delete=models.CASCADE, related_name="pricing_terms", verbose_name=_("بیمه‌گر")
    )
    line = models.CharField(_("رشته"), max_length=20, choices=QUOTABLE_LINE_CHOICES)
    is_available = models.BooleanField(_("عرضه می‌کند"), default=True)
    adjustment_percent = models.DecimalField(
        _("تخفیف (−) یا اضافه‌نرخ (+) ٪"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("در محدوده مجاز بیمه مرکزی که در تعرفه همان رشته آمده است."),
    )
    is_assumption = models.BooleanField(_("فرض (بدون منبع رسمی)"), default=False)
    note = models.CharField(_("یادداشت"), max_length=300, blank=True)
    history = History(
        verbose_name=_("تاریخچه شرایط بیمه‌گر در رشته"), verbose_name_plural=_("تاریخچه شرایط بیمه‌گران در رشته‌ها")
    )

    class Meta:
        ordering = ["line", "insurer__order", "insurer__code"]
        verbose_name = _("شرایط بیمه‌گر در رشته")
        verbose_name_plural = _("شرایط بیمه‌گران در رشته‌ها")
        constraints = [
            models.UniqueConstraint(fields=["insurer", "line"], name="pricing_terms_unique_insurer_line"),
        ]

    def __str__(self):
        return f"{self.insurer} — {self.get_line_display()}"

    def clean(self):
        if not self.line or self.adjustment_percent is None:
            return
        low, high = TariffRate.objects.insurer_bounds(tariff=Tariff.objects.in_force(), line=self.line)
        if not low <= self.adjustment_percent <= high:
            raise ValidationError(
                {
                    "adjustment_percent": _("مجاز بین %(low)s٪ و %(high)s٪ است (محدوده بیمه مرکزی در تعرفه جاری).")
                    % {"low": low.normalize(), "high": high.normalize()}
                }
            )


class CarModel(SnapshotSourceModel):
    """A car of the catalogue (make and model) and the tariff inputs it implies (issue 14 point 5).

    Customers pick a car; the third-party tariff group and the body engine class follow from
    it. Staff add cars in the admin; each must name a group and class of the tariff in force.
    """

    class Kind(models.TextChoices):
        CAR = "car", _("سواری")
        PICKUP = "pickup", _("وانت")
        MOTORCYCLE = "motorcycle", _("موتورسیکلت")

    code = models.SlugField(
        _("کد"), max_length=60, unique=True, help_text=_("حروف کوچک لاتین، رقم و _ (مثل ikco_peugeot_206).")
    )
    make = models.CharField(_("سازنده"), max_length=60)
    name = models.CharField(_("مدل"), max_length=100)
    kind = models.CharField(_("نوع"), max_length=20, choices=Kind.choices, default=Kind.CAR)
    cylinders = models.PositiveSmallIntegerField(_("تعداد سیلندر"))
    third_party_group = models.CharField(
        _("گروه تعرفه شخص ثالث"), max_length=60, help_text=_("کد گروه در جدول حق بیمه پایه شخص ثالث (مثل car_4cyl).")
    )
    body_engine_class = models.CharField(
        _("رده موتور در بیمه بدنه"),
        max_length=60,
        blank=True,
        help_text=_("کد رده در جدول ضریب موتور بدنه (مثل cyl_4)؛ خالی یعنی بیمه بدنه این وسیله در تعرفه نیست."),
    )
    is_active = models.BooleanField(_("در فهرست"), default=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)
    history = History(verbose_name=_("تاریخچه خودرو"), verbose_name_plural=_("تاریخچه فهرست خودروها"))

    class Meta:
        ordering = ["order", "make", "name"]
        verbose_name = _("خودرو")
        verbose_name_plural = _("فهرست خودروها")

    def __str__(self):
        return f"{self.make} — {self.name}"

    def clean(self):
        if self.code and not re.match(r"^[a-z][a-z0-9_]*$", self.code):
            raise ValidationError({"code": _("کد با حرف کوچک لاتین شروع شود و فقط حرف کوچک، رقم و _ داشته باشد.")})
        tariff = Tariff.objects.in_force()
        if tariff is None:
            return
        rates = TariffRate.objects.filter(tariff=tariff)
        errors = {}
        groups = set(rates.filter(line="third_party", table="base_premium").values_list("key", flat=True))
        if self.third_party_group and self.third_party_group not in groups:
            errors["third_party_group"] = _("این گروه در تعرفه شخص ثالث سال جاری نیست. گروه‌ها: %(known)s") % {
                "known": LIST_SEPARATOR.join(sorted(groups))
            }
        classes = set(rates.filter(line="body", table="engine_factor").values_list("key", flat=True))
        if self.body_engine_class and self.body_engine_class not in classes:
            errors["body_engine_class"] = _("این رده در تعرفه بدنه سال جاری نیست. رده‌ها: %(known)s") % {
                "known": LIST_SEPARATOR.join(sorted(classes))
            }
        if errors:
            raise ValidationError(errors)
