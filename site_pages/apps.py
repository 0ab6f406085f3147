from django.apps import AppConfig


class SitePagesConfig(AppConfig):
    """The site's own pages: home, FAQ, about, contact, terms, privacy and the agents' page."""

    name = "site_pages"
    verbose_name = "صفحه‌های سایت"
