from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitePagesConfig(AppConfig):
    """The site's own pages: home, FAQ, about, contact, terms, privacy and the agents' page."""

    name = "site_pages"
    verbose_name = _("صفحه‌های سایت")
