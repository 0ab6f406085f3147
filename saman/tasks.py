"""The month-end export task, under its public name `policies.tasks.export_month_to_saman`.

It lives here (not in policies/tasks.py) because the export is this app's work; the name
is the contract of API.md, and Celery routes by name only.
"""

from django.db import OperationalError

from bimemall.celery import app_task
from saman.services import EXPORT_TIME_LIMIT_SECONDS, saman_export_month


@app_task(
    bind=True,
    name="policies.tasks.export_month_to_saman",
    # A million policies take a minute or two; the limit stays well below the Redis
    # visibility timeout so a slow export is never handed to a second worker.
    time_limit=EXPORT_TIME_LIMIT_SECONDS,
    soft_time_limit=EXPORT_TIME_LIMIT_SECONDS - 60,
)
def export_month_to_saman(self, year=None, month=None):
    """Nightly: export the last closed solar month (or `year`/`month`) once; safe to run twice."""
    try:
        export = saman_export_month(year=year, month=month)
    except OperationalError as exc:  # the database went away for a moment
        raise self.retry_bounded(exc) from exc
    return {"id": export.pk, "year": export.year, "month": export.month, "status": export.status}
