from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.admin_login import admin_login
from core import views as core_views
from insurance_requests.admin import marketplace_dashboard
from site_pages import views as site_pages_views

admin.site.site_header = _("مدیریت بیمه مال")
admin.site.site_title = _("بیمه مال")
admin.site.index_title = _("پیشخوان کارکنان")

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("insurers.api_urls")),
    path("pricing/", include("pricing.api_urls")),
    path("", include("agents.api_urls")),
    path("", include("insurance_requests.api_urls")),
    path("", include("policies.api_urls")),
    path("", include("declarations.api_urls")),
    path("", include("claims.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", site_pages_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("pricing/", include("pricing.urls")),
    path("requests/", include("insurance_requests.urls")),
    path("agent/leads/", include("insurance_requests.lead_urls")),
    path("agent/", include("agents.urls")),
    path("policies/", include("policies.urls")),
    path("policies/", include("declarations.urls")),
    path("claims/", include("claims.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("site_pages.urls")),
    path("admin/marketplace/", marketplace_dashboard, name="admin-marketplace"),
    # Before the admin's own URLs, which it shadows: the staff sign-in behind its failure limits.
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]
