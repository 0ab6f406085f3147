"""Serializer and form fields for the way Iranians type: any digits, Jalali dates."""

import datetime as dt

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_jalali import forms as jforms
from rest_framework import serializers

from core.jalali import JALALI_DATE_FORMAT, JALALI_INPUT_FORMATS, looks_jalali, parse_date
from core.text import to_latin_digits
from core.validators import PLAUSIBLE_DATES, DateWindow


class FlexibleDateField(serializers.DateField):
    """ISO `2025-11-21` or Jalali `1404/08/30` (Persian digits too) in; ISO out.

    The date must lie in `window` (core.validators; by default 1900 to ten years ahead)."""

    def __init__(self, *, window: DateWindow = PLAUSIBLE_DATES, **kwargs):
        self.window = window
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        try:
            return self.window.check(parse_date(value))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None


class NormalizedCharField(serializers.CharField):
    """A CharField passed through a normaliser that raises Django ValidationError."""

    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return self.normalizer(value)
        except ValidationError as exc:
            # The normaliser's code (`invalid_mobile`) is what the API's `errors` list carries.
            raise serializers.ValidationError(exc.messages, code=exc.code) from None


class DigitsField(serializers.CharField):
    """Digits only, Persian or Latin accepted (an SMS code, a number typed by hand)."""

    def to_internal_value(self, data):
        value = to_latin_digits(super().to_internal_value(data)).strip()
        if not value.isdigit():
            raise serializers.ValidationError(gettext("فقط رقم وارد کنید."))
        return value


class JalaliDateInput(jforms.jDateInput):
    """django-jalali's text input, showing a date as ۱۴۰۴/۰۸/۳۰ would be typed (Latin digits in the value)."""

    format = JALALI_DATE_FORMAT

    def __init__(self, attrs=None, format=None):
        defaults = {"placeholder": _("مثلاً ۱۴۰۴/۰۸/۳۰"), "inputmode": "numeric", "data-latin-digits": ""}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)


class JalaliDateFormField(jforms.jDateField):
    """django-jalali's date field for the way Iranians type: ۱۴۰۴/۰۸/۳۰ or 1404-8-30 (any digits), or ISO.

    The one form field for a date a person types, in the pages and in the admin. django-jalali
    parses the Jalali text once its digits are Latin; the cleaned value is a Gregorian
    `datetime.date` (what the services and the columns take) within `window` (core.validators),
    and a Gregorian initial is shown back in Jalali.
    """

    widget = JalaliDateInput
    default_error_messages = {"invalid_jalali": _("تاریخ شمسی نامعتبر است.")}

    def __init__(self, *, window: DateWindow = PLAUSIBLE_DATES, input_formats=None, **kwargs):
        self.window = window
        super().__init__(input_formats=input_formats or JALALI_INPUT_FORMATS, **kwargs)

    def prepare_value(self, value):
        # Text, not a jdatetime.date: a template printing `field.value` shows it as typed too.
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = jdatetime.date.fromgregorian(date=value)
        if isinstance(value, jdatetime.date):
            return value.strftime(JALALI_DATE_FORMAT)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, jdatetime.date):
            return self.window.check(super().to_python(value).togregorian())
        if isinstance(value, dt.datetime):
            return self.window.check(value.date())
        if isinstance(value, dt.date):
            return self.window.check(value)
        text = to_latin_digits(str(value)).strip()
        if looks_jalali(text):
            try:
                jalali = super().to_python(text.replace("-", "/").replace(".", "/"))
            except ValidationError:
                raise ValidationError(self.error_messages["invalid_jalali"], code="invalid") from None
            return self.window.check(jalali.togregorian())
        try:  # not Jalali: an ISO date (a link, a browser's autofill) or nothing a date can be read from
            return self.window.check(parse_date(text))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class NormalizedFormField(forms.CharField):
    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return self.normalizer(value)
