from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("هسته")

    def ready(self):
        from celery.signals import task_prerun
        from django.core.signals import request_started

        from core.db import forget_writes
        from core.throttling import refill_refused_forms

        refill_refused_forms()
        # Read-your-writes of core.db is per request and per task.
        request_started.connect(forget_writes, dispatch_uid="core.db.forget_writes")
        task_prerun.connect(forget_writes, dispatch_uid="core.db.forget_writes")
