"""Sending SMS: one backend per process, chosen by SMS_BACKEND; texts go out after commit."""

import logging
import re

from django.conf import settings
from django.utils.module_loading import import_string

from core.text import to_persian_digits

logger = logging.getLogger(__name__)

# A link in a text: its digits are an address, not a number for the reader.
_URL = re.compile(r"https?://\S+")


def get_backend():
    return import_string(settings.SMS_BACKENDS[settings.SMS_BACKEND])()


def sms_text(text: str) -> str:
    """The text as it is sent: every digit Persian (amounts, dates, policy and invoice
    numbers, codes read out to an agent), except inside links (issue 14 point 10).

    Sign-in codes do not pass here: they go to the provider's verify template as a token
    (`send_code`), which the phone's code autofill reads in ASCII digits.
    """
    parts = []
    position = 0
    for link in _URL.finditer(text):
        parts.append(to_persian_digits(text[position : link.start()]))
        parts.append(link.group())
        position = link.end()
    parts.append(to_persian_digits(text[position:]))
    return "".join(parts)


def sms_send_after_commit(*, to: str, text: str) -> None:
    """Queue a text message once the current transaction commits; never blocks the request.

    A broker that is down loses only the SMS (logged by the task base); the caller's work
    is already saved. Services tell users through accounts.notifications.notify, which
    calls this; the sms app keeps it for texts to a number without an account.
    """
    from sms.tasks import send_text

    send_text.delay_on_commit(to, sms_text(text))
