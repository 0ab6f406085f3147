"""The month-end transfer to the "Saman" information system (برنامه اطلاعاتی سامان) [001].

One `SamanExport` row per solar month, unique: the row is the claim on the work, written
before the file, so two beats (or a beat and a staff member) never produce two files for
one month. The file itself lives in private storage; `docs/SAMAN.md` describes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SamanExport(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "در حال تهیه"
        DONE = "done", "آماده"
        FAILED = "failed", "ناموفق"

    year = models.PositiveSmallIntegerField("سال شمسی")
    month = models.PositiveSmallIntegerField("ماه شمسی")
    status = models.CharField("وضعیت", max_length=16, choices=Status.choices, default=Status.RUNNING)
    # Bumped by an explicit regeneration; each version is a new file name, the old one stays.
    version = models.PositiveSmallIntegerField("نسخه", default=1)
    file_name = models.CharField("فایل", max_length=200, blank=True)
    manifest_name = models.CharField("فایل مشخصات", max_length=200, blank=True)
    sha256 = models.CharField("چکیده SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("حجم (بایت)", default=0)
    counts = models.JSONField("تعداد رکوردها", default=dict, blank=True)
    error = models.TextField("خطا", blank=True)
    # The claim's heartbeat: a RUNNING row older than the task's time limit belongs to a
    # worker that died, and may be taken over (conditional update on this value).
    claimed_at = models.DateTimeField("زمان شروع تهیه")
    finished_at = models.DateTimeField("زمان پایان تهیه", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="درخواست‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("زمان ایجاد", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = "خروجی ماهانه سامان"
        verbose_name_plural = "خروجی‌های ماهانه سامان"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_saman_export_per_solar_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="saman_export_month_valid"),
        ]
        permissions = [
            ("download_samanexport", "دریافت فایل خروجی سامان"),
            ("regenerate_samanexport", "تهیه دوباره خروجی سامان"),
        ]

    def __str__(self):
        return f"سامان {self.year}/{self.month:02d} (نسخه {self.version})"
