from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamanConfig(AppConfig):
    name = "saman"
    verbose_name = _("انتقال به سامانه سامان")
