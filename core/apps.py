from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "هسته"

    def ready(self):
        from core.throttling import refill_refused_forms

        refill_refused_forms()
