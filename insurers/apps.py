from django.apps import AppConfig


class InsurersConfig(AppConfig):
    name = "insurers"
    verbose_name = "اطلاعات پایه"
