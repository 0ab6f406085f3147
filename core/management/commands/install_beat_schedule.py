"""`manage.py install_beat_schedule`: put core.schedule.SCHEDULE into django_celery_beat.

Idempotent: rows are matched by name; running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand

from core.schedule import SCHEDULE, schedule_install


class Command(BaseCommand):
    help = "Create or update the periodic tasks of core/schedule.py (by name; never duplicates)."

    def handle(self, *args, **options):
        counts = schedule_install()
        for job in SCHEDULE:
            cron = job.crontab
            self.stdout.write(
                f"  {job.name}: {job.task} "
                f"[{cron.minute} {cron.hour} {cron.day_of_month} {cron.month_of_year} {cron.day_of_week} Asia/Tehran]"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Beat schedule: {counts['created']} created, {counts['updated']} updated.")
        )
