"""A logging filter that keeps personal data out of every log line.

Mobile numbers, national codes and one-time codes must never reach a log (an SMS code in
a log is a sign-in for whoever reads it). The filter rewrites the formatted message, so
it also covers arguments interpolated by third-party code, and it scrubs the arguments
kept on the record (Celery keeps a task's arguments there even when its message does not
show them; a handler that serialises them, JSON or an error tracker, would leak them).

Importing this module (LOGGING does, for the filter) also installs a log record factory
that applies the same redaction when a record is made, so every handler, the test
suite's capture included, sees only redacted records.
"""

import logging
import re

_PATTERNS = [
    # Kavenegar puts the API key in its URL path.
    (re.compile(r"(api\.kavenegar\.com/v1/)[^/\s]+"), r"\1***"),
    (re.compile(r"(?<!\d)(?:\+98|0098|0)?9\d{9}(?!\d)"), "09*********"),
    (re.compile(r"(?<!\d)\d{10}(?!\d)"), "**********"),
    (re.compile(r"(?<!\d)\d{6}(?!\d)"), "******"),
]


def redact(text):
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _scrub(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item) for item in value)
    return value


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        elif record.args:
            record.args = _scrub(record.args)
        if record.exc_info and record.exc_info[1] is not None:
            text = redact(str(record.exc_info[1]))
            if text != str(record.exc_info[1]):
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


_redact_record = RedactPersonalDataFilter()
_previous_factory = logging.getLogRecordFactory()


def _redacting_factory(*args, **kwargs):
    record = _previous_factory(*args, **kwargs)
    _redact_record.filter(record)
    return record


if not getattr(_previous_factory, "redacts", False):
    _redacting_factory.redacts = True
    logging.setLogRecordFactory(_redacting_factory)
