"""The month-end transfer to the "Saman" information system (برنامه اطلاعاتی سامان) [001].

One `SamanExport` row per solar month, unique: the row is the claim on the work, written
before the file, so two beats (or a beat and a staff member) never produce two files for
one month. The file itself lives in private storage; `docs/SAMAN.md` describes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SamanExport(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("در حال تهیه")
        DONE = "done", _("آماده")
        FAILED = "failed", _("ناموفق")

    year = models.PositiveSmallIntegerField(_("سال شمسی"))
    month = models.PositiveSmallIntegerField(_("ماه شمسی"))
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    # Bumped by an explicit regeneration; each version is a new file name, the old one stays.
    version = models.PositiveSmallIntegerField(_("نسخه"), default=1)
    file_name = models.CharField(_("فایل"), max_length=200, blank=True)
    manifest_name = models.CharField(_("فایل مشخصات"), max_length=200, blank=True)
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64, blank=True)
    size = models.BigIntegerField(_("حجم (بایت)"), default=0)
    counts = models.JSONField(_("تعداد رکوردها"), default=dict, blank=True)
    error = models.TextField(_("خطا"), blank=True)
    # The claim's heartbeat: a RUNNING row older than the task's time limit belongs to a
    # worker that died, and may be taken over (conditional update on this value).
    claimed_at = models.DateTimeField(_("زمان شروع تهیه"))
    finished_at = models.DateTimeField(_("زمان پایان تهیه"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("درخواست‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ایجاد"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("خروجی ماهانه سامان")
        verbose_name_plural = _("خروجی‌های ماهانه سامان")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_saman_export_per_solar_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="saman_export_month_valid"),
        ]
        permissions = [
            ("download_samanexport", _("دریافت فایل خروجی سامان")),
            ("regenerate_samanexport", _("تهیه دوباره خروجی سامان")),
        ]

    def __str__(self):
        return gettext("سامان %(year)s/%(month)02d (نسخه %(version)s)") % {
            "year": self.year,
            "month": self.month,
            "version": self.version,
        }
