from celery import shared_task
from django.db import OperationalError

from agents.services import payments_reconcile, subscription_expiry_notify
from bimemall.celery import retry_bounded


@shared_task(name="agents.tasks.notify_expiring_subscriptions")
def notify_expiring_subscriptions():
    """Daily: warn agents before and on the end of their subscription (safe to run twice)."""
    return subscription_expiry_notify()


@shared_task(bind=True, name="agents.tasks.reconcile_pending_payments", max_retries=3)
def reconcile_pending_payments(self):
    """Every 15 minutes: verify again the payments the gateway did not confirm, expire the
    ones pending for a day. Safe to run twice or at once (each invoice is locked)."""
    try:
        return payments_reconcile()
    except OperationalError as exc:  # the database went away for a moment
        raise retry_bounded(self, exc) from exc
