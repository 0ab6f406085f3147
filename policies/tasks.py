from bimemall.celery import app_task
from policies.services import renewal_reminders_send


@app_task(name="policies.tasks.send_renewal_reminders")
def send_renewal_reminders():
    """Daily: renewal invitations a month before expiry, third-party a week before.

    Safe to run twice: each (policy, kind) is claimed by a unique row before sending.
    """
    return renewal_reminders_send()


# A link code lives ten minutes; retries are quick.
LINK_CODE_RETRY_BACKOFF = (2, 5, 10)


@app_task(
    name="policies.tasks.deliver_customer_link_code",
    bind=True,
    retry_delays=LINK_CODE_RETRY_BACKOFF,
    acks_late=True,
)
def deliver_customer_link_code(self, link_id):
    """Draw, store (hashed) and text the code of an agent's customer link (issue 13 point 1)."""
    from policies.relationships import customer_link_deliver_code
    from sms.exceptions import SmsTransientError

    try:
        customer_link_deliver_code(link_id=link_id)
    except SmsTransientError as exc:
        if self.retries_spent:  # the agent may ask again after a minute
            return
        raise self.retry_bounded(exc) from None
