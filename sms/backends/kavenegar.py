"""Kavenegar through the official `kavenegar` package, made safe to run in production.

The package calls `requests.post` with no timeout and puts the API key in the URL, in
`repr()` and in its exception messages. This backend
- gives every call a (connect, read) timeout summing to at most 10 s, by handing the
  package a `requests` stand-in whose `post` always carries one;
- never lets the key out: the client object stays private, and every exception is
  replaced (`from None`, so not even the traceback chain keeps it) by an SmsError whose
  message is built from the status code alone;
- sorts failures into transient (409, 451, timeouts, 5xx: retried by the task with
  backoff) and permanent (401, 403, 418, 424, 426, 431, 432 and every other refusal).
"""

import re

import kavenegar
import requests
from django.conf import settings

from sms.backends.base import BaseSmsBackend
from sms.exceptions import SmsPermanentError, SmsTransientError

TRANSIENT_STATUSES = frozenset({409, 451})
_STATUS_RE = re.compile(rb"APIException\[(\d+)\]")


class _RequestsWithTimeout:
    """What `kavenegar` sees as `requests`: the real module, but `post` has a timeout."""

    exceptions = requests.exceptions

    @staticmethod
    def post(url, **kwargs):
        kwargs.setdefault("timeout", settings.KAVENEGAR_TIMEOUT)
        return requests.post(url, **kwargs)  # noqa: S113  # nosec B113  # the timeout is set on the line above


kavenegar.requests = _RequestsWithTimeout


class KavenegarBackend(BaseSmsBackend):
    def __init__(self, api_key=None, otp_template=None, sender=None):
        self._api = kavenegar.KavenegarAPI(api_key or settings.KAVENEGAR_API_KEY)
        self.otp_template = otp_template or settings.KAVENEGAR_OTP_TEMPLATE
        self.sender = settings.KAVENEGAR_SENDER if sender is None else sender

    def __repr__(self):
        return "KavenegarBackend(api_key=***)"

    def send_code(self, *, to, code):
        self._call(self._api.verify_lookup, {"receptor": to, "token": code, "template": self.otp_template})

    def send_text(self, *, to, text):
        params = {"receptor": to, "message": text}
        if self.sender:
            params["sender"] = self.sender
        self._call(self._api.sms_send, params)

    @staticmethod
    def _call(method, params):
        try:
            return method(params)
        except kavenegar.APIException as exc:
            status = _status_of(exc)
            error = None
        except kavenegar.HTTPException as exc:
            status = None
            error = _describe_http_failure(exc)
        if status is not None:
            if status in TRANSIENT_STATUSES:
                raise SmsTransientError(f"Kavenegar answered {status}", status=status) from None
            raise SmsPermanentError(f"Kavenegar refused the message ({status})", status=status) from None
        raise SmsTransientError(f"Kavenegar unreachable: {error}") from None


def _status_of(exc):
    raw = exc.args[0] if exc.args else b""
    if isinstance(raw, str):
        raw = raw.encode()
    match = _STATUS_RE.search(raw)
    return int(match.group(1)) if match else 0


def _describe_http_failure(exc):
    # Only the class name of the cause: its text contains the URL, and the URL the key.
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, requests.exceptions.Timeout):
        return "timeout"
    if isinstance(cause, requests.exceptions.ConnectionError):
        return "connection error"
    if isinstance(cause, ValueError):
        return "invalid response"
    return type(cause).__name__
