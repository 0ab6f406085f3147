"""Jalali (solar hijri) dates at the edges; Gregorian everywhere inside."""

import datetime as dt
import re

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import to_latin_digits

_JALALI_RE = re.compile(r"^(1[2-5]\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# How a Jalali date is shown in an input, and the shapes django-jalali's form field reads
# (core.fields.JalaliDateFormField turns `-` and `.` into `/` first).
JALALI_DATE_FORMAT = "%Y/%m/%d"
JALALI_INPUT_FORMATS = [JALALI_DATE_FORMAT]


def looks_jalali(text: str) -> bool:
    """Whether Latin-digit `text` has the shape of a Jalali date (a solar year 12xx-15xx first)."""
    return bool(_JALALI_RE.match(text))


def parse_date(value):
    """A date from `1404/08/30` (Jalali, any digits) or `2025-11-21` (ISO); ValueError if neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_latin_digits(str(value)).strip()
    match = _JALALI_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError:
            raise ValueError(_("تاریخ شمسی نامعتبر است.")) from None
    match = _ISO_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(_("تاریخ نامعتبر است.")) from None
    raise ValueError(_("تاریخ را به شکل ۱۴۰۴/۰۸/۳۰ وارد کنید."))


def to_jalali(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def format_jalali(value, with_time=False):
    if value is None:
        return ""
    jalali = to_jalali(value)
    if isinstance(value, dt.datetime) and with_time:
        return jalali.strftime("%Y/%m/%d %H:%M")
    return jalali.strftime("%Y/%m/%d")


def solar_year(date=None):
    date = date or timezone.localdate()
    return jdatetime.date.fromgregorian(date=date).year


def solar_month_bounds(year, month):
    """The Gregorian [first day, first day of next month) of a solar month."""
    start = jdatetime.date(year, month, 1)
    end = jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    return start.togregorian(), end.togregorian()
