from django.contrib.admin.apps import AdminConfig


class ReadableAdminConfig(AdminConfig):
    """django.contrib.admin, with `admin.site` a `core.admin_site.ReadableAdminSite` (issue 15 point 8).

    Its own module: an app's `apps.py` with two configurations would need a `default`, and
    the site's module imports form fields, which the app registry must not load this early.
    """

    default_site = "core.admin_site.ReadableAdminSite"
