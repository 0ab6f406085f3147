import logging

from bimemall.celery import app_task
from sms.exceptions import SmsPermanentError, SmsTransientError
from sms.services import get_backend

logger = logging.getLogger(__name__)

# Seconds to wait before each retry; all far below the broker's visibility timeout.
RETRY_BACKOFF = (5, 20, 60)


@app_task(name="sms.tasks.send_text", bind=True, retry_delays=RETRY_BACKOFF, acks_late=True)
def send_text(self, to, text):
    try:
        get_backend().send_text(to=to, text=text)
    except SmsTransientError as exc:
        if self.retries_spent:
            logger.warning("SMS dropped after %s retries: %s", self.request.retries, exc)
            return
        raise self.retry_bounded(exc) from None
    except SmsPermanentError as exc:
        logger.warning("SMS refused by the provider: %s", exc)
