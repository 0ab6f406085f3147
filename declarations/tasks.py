from django.db import OperationalError

from bimemall.celery import app_task
from declarations.services import declaration_reminders_send


@app_task(bind=True, name="declarations.tasks.send_declaration_reminders")
def send_declaration_reminders(self):
    """Daily: stock declarations of floating policies, due by the 10th; safe to run twice."""
    try:
        return declaration_reminders_send()
    except OperationalError as exc:
        raise self.retry_bounded(exc) from exc
