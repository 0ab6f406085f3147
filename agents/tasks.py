from celery import shared_task

from agents.services import subscription_expiry_notify


@shared_task(name="agents.tasks.notify_expiring_subscriptions")
def notify_expiring_subscriptions():
    """Daily: warn agents before and on the end of their subscription (safe to run twice)."""
    return subscription_expiry_notify()
