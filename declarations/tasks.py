from celery import shared_task
from django.db import OperationalError

from bimemall.celery import retry_bounded
from declarations.services import declaration_reminders_send


@shared_task(bind=True, name="declarations.tasks.send_declaration_reminders", max_retries=3)
def send_declaration_reminders(self):
    """Daily: stock declarations of floating policies, due by the 10th; safe to run twice."""
    try:
        return declaration_reminders_send()
    except OperationalError as exc:
        raise retry_bounded(self, exc) from exc
