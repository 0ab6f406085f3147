from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import History
from insurers.lines import LineCode


class Insurer(models.Model):
    """An insurance company (بیمه‌گر), addressed by a stable lowercase code."""

    code = models.SlugField(_("کد"), max_length=40, unique=True)
    name = models.CharField(_("نام"), max_length=100)
    is_active = models.BooleanField(_("فعال"), default=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)
    # Whether an insurer quotes at all is one of its terms (issue 15 point 9).
    history = History(verbose_name=_("تاریخچه بیمه‌گر"), verbose_name_plural=_("تاریخچه بیمه‌گران"))

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("بیمه‌گر")
        verbose_name_plural = _("بیمه‌گران")

    def __str__(self):
        return self.name


class InsuranceLine(models.Model):
    """A line of insurance (رشته بیمه): third_party, body, fire, travel, electronics, other."""

    # The codes, as plain strings; insurers.lines.LineCode is their one definition.
    THIRD_PARTY = LineCode.THIRD_PARTY.value
    BODY = LineCode.BODY.value
    FIRE = LineCode.FIRE.value
    TRAVEL = LineCode.TRAVEL.value
    ELECTRONICS = LineCode.ELECTRONICS.value
    OTHER = LineCode.OTHER.value

    code = models.SlugField(_("کد"), max_length=40, unique=True)
    name = models.CharField(_("نام"), max_length=100)
    description = models.CharField(_("توضیح"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("رشته بیمه")
        verbose_name_plural = _("رشته‌های بیمه")

    def __str__(self):
        return self.name


class Province(models.Model):
    code = models.SlugField(_("کد"), max_length=40, unique=True)
    name = models.CharField(_("نام"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("ترتیب"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")

    def __str__(self):
        return self.name
