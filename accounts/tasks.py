import logging

from celery import shared_task
from django.utils.translation import gettext as _

from accounts.services.otp import one_time_code_deliver, one_time_code_mark_failed
from sms.exceptions import SmsTransientError

logger = logging.getLogger(__name__)

# Codes live two minutes, so retries must be quick: 2 s, 5 s, 10 s.
CODE_RETRY_BACKOFF = (2, 5, 10)


@shared_task(bind=True, max_retries=len(CODE_RETRY_BACKOFF), acks_late=True)
def deliver_one_time_code(self, code_id):
    try:
        one_time_code_deliver(code_id=code_id)
    except SmsTransientError as exc:
        if self.request.retries >= self.max_retries:
            logger.warning("One-time code not delivered after retries: %s", exc)
            one_time_code_mark_failed(code_id=code_id, reason=_("ارسال پیامک ناموفق بود."))
            return
        raise self.retry(countdown=CODE_RETRY_BACKOFF[self.request.retries], exc=exc) from None


@shared_task
def delete_expired_api_tokens():
    """Daily (core/schedule.py): remove API tokens past their lifetime, used or not."""
    from accounts.services.auth import api_tokens_delete_expired

    return api_tokens_delete_expired()
