"""Parsing the agents' inputs, shared by the API serializers and the browser forms.

Each function returns the clean value or raises Django's ValidationError in Persian.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jalali import parse_date
from core.text import to_latin_digits, to_persian_letters
from insurers.models import Insurer
from insurers.selectors import province_by_code_or_name

_AGENCY_CODE_RE = re.compile(r"^[A-Za-z0-9\-/]{1,20}$")


def clean_text(value) -> str:
    return " ".join(to_persian_letters(value or "").split())


def parse_agency_code(value) -> str:
    code = re.sub(r"\s", "", to_latin_digits(str(value or ""))).upper()
    if not _AGENCY_CODE_RE.match(code):
        raise DjangoValidationError(_("کد نمایندگی فقط شامل حروف لاتین، رقم و خط تیره و حداکثر ۲۰ نویسه است."))
    return code


def parse_insurer(value) -> Insurer:
    insurer = Insurer.objects.filter(code=str(value or "").strip().lower(), is_active=True).first()
    if insurer is None:
        raise DjangoValidationError(_("بیمه‌گر انتخاب‌شده معتبر نیست."))
    return insurer


def parse_province(value):
    province = province_by_code_or_name(value)
    if province is None:
        raise DjangoValidationError(_("استان انتخاب‌شده معتبر نیست."))
    return province


def parse_licence_number(value) -> str:
    number = re.sub(r"\s", "", to_latin_digits(str(value or "")))
    if not re.fullmatch(r"[A-Za-z0-9\-/]{3,30}", number):
        raise DjangoValidationError(_("شماره پروانه معتبر نیست."))
    return number


def parse_future_date(value):
    try:
        date = parse_date(value)
    except ValueError as exc:
        raise DjangoValidationError(str(exc)) from None
    if date <= timezone.localdate():
        raise DjangoValidationError(_("تاریخ انقضای پروانه گذشته است؛ پروانه معتبر را بفرستید."))
    return date
