from django.apps import AppConfig


class InsuranceRequestsConfig(AppConfig):
    name = "insurance_requests"
    verbose_name = "درخواست‌های بیمه"
