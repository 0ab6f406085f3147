"""Normalising and validating Iranian identifiers: mobile, national code, postal code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import to_latin_digits

_MOBILE_RE = re.compile(r"^9\d{9}$")


def normalize_mobile(value) -> str:
    """Any usual form of an Iranian mobile number → `09xxxxxxxxx`.

    Accepts 09…, 9…, +989…, 00989…, 989…, with Persian or Arabic-Indic digits, spaces,
    dashes and parentheses. Raises ValidationError for anything else.
    """
    text = to_latin_digits(str(value or ""))
    text = re.sub(r"[\s\-()\u200c\u200e\u200f]", "", text)
    if text.startswith("+98"):
        text = text[3:]
    elif text.startswith("0098"):
        text = text[4:]
    elif text.startswith("98") and len(text) == 12:
        text = text[2:]
    elif text.startswith("0"):
        text = text[1:]
    if not _MOBILE_RE.match(text):
        raise ValidationError(_("شماره موبایل معتبر نیست؛ مثلاً ۰۹۱۲۱۲۳۴۵۶۷ وارد کنید."), code="invalid_mobile")
    return "0" + text


def is_valid_national_code(code: str) -> bool:
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    check = int(code[9])
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    return check == remainder if remainder < 2 else check == 11 - remainder


def normalize_national_code(value) -> str:
    """Ten digits with a valid check digit (کد ملی); Persian digits and dashes accepted."""
    text = re.sub(r"[\s\-]", "", to_latin_digits(str(value or "")))
    if re.fullmatch(r"\d{8,9}", text):
        # Older cards drop leading zeros; the number is the same.
        text = text.zfill(10)
    if not is_valid_national_code(text):
        raise ValidationError(_("کد ملی معتبر نیست."), code="invalid_national_code")
    return text


def normalize_postal_code(value) -> str:
    text = re.sub(r"[\s\-]", "", to_latin_digits(str(value or "")))
    if not re.fullmatch(r"\d{10}", text):
        raise ValidationError(_("کد پستی باید ۱۰ رقم باشد."), code="invalid_postal_code")
    return text


def normalize_phone(value) -> str:
    """A landline or mobile number with area code, digits only (e.g. 02188776655)."""
    text = re.sub(r"[\s\-()]", "", to_latin_digits(str(value or "")))
    if text.startswith("+98"):
        text = "0" + text[3:]
    if not re.fullmatch(r"0\d{10}", text):
        raise ValidationError(_("شماره تلفن را با کد شهر وارد کنید؛ مثلاً ۰۲۱۸۸۷۷۶۶۵۵."), code="invalid_phone")
    return text
