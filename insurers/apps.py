from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsurersConfig(AppConfig):
    name = "insurers"
    verbose_name = _("اطلاعات پایه")

    def ready(self):
        from insurers.cache import connect_reference_signals

        connect_reference_signals()
