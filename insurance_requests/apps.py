from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceRequestsConfig(AppConfig):
    name = "insurance_requests"
    verbose_name = _("درخواست‌های بیمه")
