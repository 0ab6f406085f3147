"""Jalali dates, amounts and readable JSON in the Django admin, for every model of every app.

Dates are stored Gregorian and shown Jalali at the edges; the admin is an edge that staff
(a clerk verifying licences) read all day. Django has no hook for this, so at start-up we
wrap the one function the admin uses to display field values (lists, read-only fields and
inline rows alike), and give DateFields a Jalali form field. The wrapper also shows amounts
(fields labelled in rial) with separators and the unit, decimals without trailing zeros, and
JSON as tables (core.admin_display). It keeps Django's behaviour for everything else.
"""

from django import forms
from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from core import admin_display
from core.fields import JalaliDateFormField
from core.jalali import format_jalali
from core.text import to_persian_digits

_original_display_for_field = admin_utils.display_for_field


def display_for_field(value, field, empty_value_display, *args, **kwargs):
    if value is not None and isinstance(field, models.DateField) and not getattr(field, "flatchoices", None):
        return to_persian_digits(format_jalali(value, with_time=isinstance(field, models.DateTimeField)))
    if value is not None and not getattr(field, "flatchoices", None):
        if isinstance(field, models.JSONField):
            return admin_display.readable(value)
        if isinstance(field, models.IntegerField) and admin_display.is_money_field(field):
            return admin_display.money(value)
        if isinstance(field, models.DecimalField):
            return admin_display.decimal_text(value)
    return _original_display_for_field(value, field, empty_value_display, *args, **kwargs)


def install() -> None:
    if admin_utils.display_for_field is display_for_field:
        return
    for module in (admin_utils, helpers, admin_list):
        module.display_for_field = display_for_field
    jalali = {
        "form_class": JalaliDateFormField,
        "widget": forms.TextInput(attrs={"placeholder": "۱۴۰۴/۰۸/۳۰", "dir": "ltr", "data-latin-digits": ""}),
    }
    # For admins created from now on (inlines are built per request) …
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = jalali
    # … and for those autodiscover already built (django.contrib.admin is ready before us).
    from django.contrib import admin

    for model_admin in admin.site._registry.values():
        own = model_admin.formfield_overrides.get(models.DateField, {})
        if own.get("widget") is None or own.get("widget") is options.widgets.AdminDateWidget:
            model_admin.formfield_overrides[models.DateField] = {**own, **jalali}
