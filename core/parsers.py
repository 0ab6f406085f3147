"""The API's JSON parser: a body the database or the interpreter cannot hold is a 400, never a 500.

DRF's own `JSONParser` hands back anything the `json` module accepts. Three kinds of body got
past it to answer 500 further in:

- nesting deeper than the interpreter's recursion limit (the decoder raises `RecursionError`);
- a NUL character (`\\u0000`) in a string or a key (PostgreSQL text and jsonb cannot store it);
- an integer outside the signed 64-bit range (PostgreSQL `bigint`, SQLite `INTEGER`);
- and a body of any size was read and decoded whole: now at most DATA_UPLOAD_MAX_MEMORY_SIZE
  (1 MiB) is read, a longer body is a 413 (bodies that say their length are refused earlier,
  by core.middleware.BodySizeLimitMiddleware).

`JSONParser` below refuses each with `ParseError` (400) and a Persian message, before any view
sees the body. The limits (MAX_DEPTH, MIN_INTEGER, MAX_INTEGER below) are checked by
tests/security/test_bad_input.py. Malformed JSON, NaN and Infinity stay refused as before, now with a
Persian message too.
"""

import codecs
import json
import re

from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from core.middleware import body_limit_bytes, body_too_large_message

# The deepest nesting of arrays and objects a body may have: the top-level value counts as 1.
# The API's deepest input (a request's or a policy's `params`, an endorsement's `changes`) is a
# few levels; 32 leaves room and stays far below the interpreter's recursion limit.
MAX_DEPTH = 32

# Integers the database holds: PostgreSQL `bigint` and SQLite `INTEGER` are signed 64-bit.
MIN_INTEGER = -(2**63)
MAX_INTEGER = 2**63 - 1
# The most digits a 64-bit integer has: a longer literal is refused before `int()` reads it.
_MAX_INTEGER_DIGITS = 19

# A JSON string, with its escapes, so that brackets inside strings are not counted as nesting.
# An unterminated string runs to the end of the text: the pattern never fails once it starts,
# so it reads the body once (one that may fail rescans the rest from every quote: 100 KB of
# escaped quotes took over a minute).
_STRING = re.compile(r'"[^"\\]*(?:\\(?:.|\Z)[^"\\]*)*(?:"|\Z)', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (well-formedness is the decoder's job)."""
    deepest = depth = 0
    for bracket in _BRACKETS.sub("", _STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
        else:
            depth -= 1
    return deepest


def _integer(literal: str) -> int:
    if len(literal.lstrip("-")) <= _MAX_INTEGER_DIGITS:
        value = int(literal)
        if MIN_INTEGER <= value <= MAX_INTEGER:
            return value
    raise ParseError(_("عدد %(value)s بیرون از بازه‌ای است که پذیرفته می‌شود.") % {"value": literal[:24]})


def _has_nul(value) -> bool:
    # Depth is already bounded by MAX_DEPTH, so recursion here is bounded too.
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in key or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with bounds on depth, NUL characters and integers (module docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = body_limit_bytes()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise BodyTooLarge(body_too_large_message(limit))
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeError, ValueError, LookupError) as exc:
            raise ParseError(_("متن درخواست با کدگذاری %(encoding)s خوانا نیست.") % {"encoding": encoding}) from exc
        if _depth(text) > MAX_DEPTH:
            raise ParseError(_("ساختار JSON درخواست بیش از %(limit)s لایهٔ تودرتو دارد.") % {"limit": MAX_DEPTH})
        try:
            data = json.loads(text, parse_int=_integer, parse_constant=self._constant)
        except RecursionError as exc:  # pragma: no cover - the depth check above comes first
            raise ParseError(_("ساختار JSON درخواست بیش از حد تودرتو است.")) from exc
        except ValueError as exc:
            raise ParseError(_("متن JSON درخواست خوانا نیست: %(error)s") % {"error": exc}) from exc
        if _has_nul(data):
            raise ParseError(_("نویسهٔ تهی (NUL) در متن درخواست پذیرفته نیست."))
        return data

    def _constant(self, name):
        # NaN and Infinity are not JSON; DRF refuses them too under STRICT_JSON (the default).
        if self.strict:
            raise ParseError(_("مقدار %(value)s در JSON پذیرفته نیست.") % {"value": name})
        return float(name)
