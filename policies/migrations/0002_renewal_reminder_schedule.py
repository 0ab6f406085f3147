"""Beat runs `policies.tasks.send_renewal_reminders` every morning (Tehran time)."""

from django.db import migrations


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="9", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Tehran"
    )
    PeriodicTask.objects.get_or_create(
        name="policies: renewal reminders",
        defaults={"task": "policies.tasks.send_renewal_reminders", "crontab": crontab},
    )


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name="policies: renewal reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
