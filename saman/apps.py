from django.apps import AppConfig


class SamanConfig(AppConfig):
    name = "saman"
    verbose_name = "انتقال به سامانه سامان"
