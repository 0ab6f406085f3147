from celery import shared_task

from policies.services import renewal_reminders_send


@shared_task(name="policies.tasks.send_renewal_reminders")
def send_renewal_reminders():
    """Daily: renewal invitations a month before expiry, third-party a week before.

    Safe to run twice: each (policy, kind) is claimed by a unique row before sending.
    """
    return renewal_reminders_send()
