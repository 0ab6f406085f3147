"""Sending SMS: one backend per process, chosen by SMS_BACKEND; texts go out after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def get_backend():
    return import_string(settings.SMS_BACKENDS[settings.SMS_BACKEND])()


def sms_send_after_commit(*, to: str, text: str) -> None:
    """Queue a text message once the current transaction commits; never blocks the request.

    A broker that is down loses only the SMS (logged); the caller's work is already saved.
    """
    from sms.tasks import send_text

    def dispatch():
        try:
            send_text.delay(to, text)
        except Exception:
            logger.exception("Could not queue an SMS")

    transaction.on_commit(dispatch)
