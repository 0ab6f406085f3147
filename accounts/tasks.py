import logging

from django.utils.translation import gettext as _

from accounts.services.otp import one_time_code_deliver, one_time_code_mark_failed, one_time_code_not_queued
from bimemall.celery import app_task
from sms.exceptions import SmsTransientError

logger = logging.getLogger(__name__)

# Codes live two minutes, so retries must be quick: 2 s, 5 s, 10 s.
CODE_RETRY_BACKOFF = (2, 5, 10)


@app_task(
    name="accounts.tasks.deliver_one_time_code",
    bind=True,
    retry_delays=CODE_RETRY_BACKOFF,
    acks_late=True,
    on_enqueue_failure=one_time_code_not_queued,
)
def deliver_one_time_code(self, code_id):
    try:
        one_time_code_deliver(code_id=code_id)
    except SmsTransientError as exc:
        if self.retries_spent:
            logger.warning("One-time code not delivered after retries: %s", exc)
            one_time_code_mark_failed(code_id=code_id, reason=_("ارسال پیامک ناموفق بود."))
            return
        raise self.retry_bounded(exc) from None


@app_task(name="accounts.tasks.delete_expired_api_tokens")
def delete_expired_api_tokens():
    """Daily (core/schedule.py): remove API tokens past their lifetime, used or not."""
    from accounts.services.auth import api_tokens_delete_expired

    return api_tokens_delete_expired()
