"""Add the beat row of accounts.tasks.delete_expired_api_tokens to existing databases.

Deploys run `migrate`, not `install_beat_schedule`. Only the missing row is created
(found by name, as schedule_install does); the other jobs keep whatever staff set. On a
new database 0002 has already installed it, and this does nothing.
"""

import json

from django.db import migrations

TASK = "accounts.tasks.delete_expired_api_tokens"


def install(apps, schema_editor):
    from core.schedule import SCHEDULE

    periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab_schedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for job in SCHEDULE:
        if job.task != TASK or periodic_task.objects.filter(name=job.name).exists():
            continue
        crontab, _ = crontab_schedule.objects.get_or_create(**job.crontab.as_fields())
        periodic_task.objects.create(
            name=job.name,
            task=job.task,
            crontab=crontab,
            kwargs=json.dumps(job.kwargs, sort_keys=True),
            description=job.description,
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_beat_schedule_reconcile_payments")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
