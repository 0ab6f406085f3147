"""Queue every job of the beat schedule once, now, through the broker.

`make run` does this when it starts, so a developer sees what beat would do without
waiting for 09:00 Tehran (a reminder due today appears on the console at once). Every
job claims its work with a unique row first, so running them early, or twice, sends and
writes nothing twice — the same guarantee that makes overlapping beats harmless.
"""

from django.core.management.base import BaseCommand

from bimemall.celery import app
from core.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Send every scheduled task once through the broker (idempotent jobs)."

    def handle(self, *args, **options):
        for job in SCHEDULE:
            app.send_task(job.task, kwargs=job.kwargs)
            self.stdout.write(f"queued {job.task}")
