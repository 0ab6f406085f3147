"""Install the beat schedule of core/schedule.py (reusing the agents' row by name)."""

from django.db import migrations


def install(apps, schema_editor):
    from core.schedule import schedule_install

    schedule_install(
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        # The agents' row comes first, so this migration updates it instead of racing it.
        ("agents", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
