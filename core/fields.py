"""Serializer and form fields for the way Iranians type: any digits, Jalali dates."""

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from core.jalali import format_jalali, parse_date
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
            raise serializers.ValidationError("فقط رقم وارد کنید.")
        return value


class JalaliDateFormField(forms.CharField):
    """A date typed as ۱۴۰۴/۰۸/۳۰ (or ISO); shown back in Jalali; within `window` (core.validators)."""

    widget = forms.TextInput(attrs={"placeholder": "مثلاً ۱۴۰۴/۰۸/۳۰", "inputmode": "numeric", "data-latin-digits": ""})

    def __init__(self, *, window: DateWindow = PLAUSIBLE_DATES, **kwargs):
        self.window = window
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return format_jalali(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return self.window.check(parse_date(value))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class NormalizedFormField(forms.CharField):
    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return self.normalizer(value)
