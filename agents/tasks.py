from django.db import OperationalError

from agents.services import payments_reconcile, subscription_expiry_notify
from bimemall.celery import app_task


@app_task(name="agents.tasks.notify_expiring_subscriptions")
def notify_expiring_subscriptions():
    """Daily: warn agents before and on the end of their subscription (safe to run twice)."""
    return subscription_expiry_notify()


@app_task(bind=True, name="agents.tasks.reconcile_pending_payments")
def reconcile_pending_payments(self):
    """Every 15 minutes: verify again the payments the gateway did not confirm, expire the
    ones pending for a day. Safe to run twice or at once (each invoice is locked)."""
    try:
        return payments_reconcile()
    except OperationalError as exc:  # the database went away for a moment
        raise self.retry_bounded(exc) from exc
