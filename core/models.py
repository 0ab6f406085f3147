from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """Who did what to which record, and when: one row per decision, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("انجام‌دهنده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("عملیات"), max_length=64, db_index=True)
    target_type = models.CharField(_("نوع هدف"), max_length=64)
    target_id = models.CharField(_("شناسه هدف"), max_length=64)
    data = models.JSONField(_("جزئیات"), default=dict, blank=True)
    created_at = models.DateTimeField(_("زمان"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("رویداد ممیزی")
        verbose_name_plural = _("رویدادهای ممیزی")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.action} {self.target_type}#{self.target_id}"
