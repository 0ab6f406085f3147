from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("هسته")

    def ready(self):
        from core.throttling import refill_refused_forms

        refill_refused_forms()
