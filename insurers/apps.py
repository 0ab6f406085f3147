from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsurersConfig(AppConfig):
    name = "insurers"
    verbose_name = _("اطلاعات پایه")
