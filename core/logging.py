"""A logging filter that keeps personal data out of every log line.

Mobile numbers, national codes and one-time codes must never reach a log (an SMS code in
a log is a sign-in for whoever reads it). The filter rewrites the formatted message, so
it also covers arguments interpolated by third-party code.
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
        if record.exc_info and record.exc_info[1] is not None:
            text = redact(str(record.exc_info[1]))
            if text != str(record.exc_info[1]):
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
