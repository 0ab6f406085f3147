"""The project's admin site: Jalali dates, amounts and readable JSON for every model admin.

Dates are stored Gregorian and shown Jalali at the edges; the admin is an edge that staff (a
clerk verifying licences) read all day. Every ModelAdmin registered on `admin.site`, and each of
its inlines, gets `ReadableValuesMixin` from this site's `register` (the site is installed by
`core.admin_config.ReadableAdminConfig` in INSTALLED_APPS) (issue 15 point 8), which works
through ModelAdmin's public hooks only, instead of patching Django's display function:

- a DateField is typed with django-jalali's admin widget (its date picker included) into
  `core.fields.JalaliDateFormField`, whose cleaned value stays a Gregorian `datetime.date`;
- in lists and on read-only fields, a date, a JSON, a decimal or an amount (a field labelled in
  rial) model field is swapped for a display method of the same name and label that shows it
  as `core.admin_display.field_value` does: Jalali dates, amounts with separators and the unit,
  decimals without trailing zeros, JSON as tables. `core.admin_digits` makes the digits Persian.

A new admin needs nothing: register it with `@admin.register(Model)` as usual.
"""

import functools

from django.contrib import admin
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten, flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_jalali.admin.widgets import AdminjDateWidget

from core import admin_display
from core.fields import JalaliDateFormField
from core.jalali import JALALI_DATE_FORMAT


class AdminJalaliDateWidget(AdminjDateWidget):
    """django-jalali's admin date input and picker, the date written as staff type it."""

    format = JALALI_DATE_FORMAT

    def __init__(self, attrs=None, format=None):
        defaults = {"placeholder": _("۱۴۰۴/۰۸/۳۰"), "dir": "ltr", "data-latin-digits": ""}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)


JALALI_DATE_FORMFIELD = {"form_class": JalaliDateFormField, "widget": AdminJalaliDateWidget}


def shown_readably(field) -> bool:
    """Whether the admin shows this model field's value through `admin_display.field_value`."""
    if not getattr(field, "concrete", False) or getattr(field, "flatchoices", None):
        return False
    if isinstance(field, models.IntegerField):
        return admin_display.is_money_field(field)
    return isinstance(field, models.DateField | models.JSONField | models.DecimalField)


def _value_display(model_admin, field):
    """A display method standing for `field`: same name (CSS class, help text), label and sorting."""

    def display(obj):
        value = getattr(obj, field.name)
        if value is None:
            return model_admin.get_empty_value_display()
        shown = admin_display.field_value(value, field)
        if isinstance(field, models.DateField):
            # Django keeps a date column on one line; a display method's text loses that class.
            return format_html('<span class="nowrap">{}</span>', shown)
        return shown

    display.__name__ = field.name
    display.short_description = field.verbose_name
    display.admin_order_field = field.name
    return display


class ReadableValuesMixin:
    """Shows stored values to staff (see the module's docstring); for ModelAdmin and inlines."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._value_displays = {}
        # An admin that chose its own date widget keeps it.
        own = self.formfield_overrides.get(models.DateField, {})
        if own.get("widget") in (None, admin_widgets.AdminDateWidget):
            self.formfield_overrides[models.DateField] = {**own, **JALALI_DATE_FORMFIELD}

    def _shown(self, name):
        """The display method for model field `name`, or `name` itself when Django's display is right."""
        if not isinstance(name, str):
            return name
        if name not in self._value_displays:
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            shown = _value_display(self, field) if field and shown_readably(field) else name
            # One object per name for the admin's lifetime: Django matches the fieldsets' entries
            # with the read-only ones by identity; setdefault keeps two threads from making two.
            self._value_displays.setdefault(name, shown)
        return self._value_displays[name]

    def _view_only(self, request, obj) -> bool:
        """Whether Django shows every field of this page read-only (and so through `_shown`).

        Without a request (a caller asking what an admin makes read-only, not a page) there is
        no user whose permission decides it: the model admin's own read-only fields answer."""
        return obj is not None and request is not None and not self.has_change_permission(request, obj)

    def _declared_field_names(self):
        if self.fieldsets:
            return flatten_fieldsets(self.fieldsets)
        if self.fields:
            return flatten(self.fields)
        exclude = set(self.exclude or ())
        return [f.name for f in self.model._meta.concrete_fields if f.editable and f.name not in exclude]

    def _read_only_names(self, request, obj) -> list:
        names = list(super().get_readonly_fields(request, obj))
        if self._view_only(request, obj):
            names += [name for name in self._declared_field_names() if name not in names]
        return names

    def get_readonly_fields(self, request, obj=None):
        # The names stay in the list, so that the form leaves those fields out; the display
        # methods join them, as Django wants of every read-only entry in the fieldsets.
        names = self._read_only_names(request, obj)
        displays = [self._shown(name) for name in names]
        return [*names, *(display for display in displays if not isinstance(display, str))]

    def get_fieldsets(self, request, obj=None):
        read_only = {name for name in self._read_only_names(request, obj) if isinstance(name, str)}
        seen = set()

        def swap(entries):
            swapped = []
            for entry in entries:
                if isinstance(entry, list | tuple):
                    swapped.append(tuple(swap(entry)))
                    continue
                shown = self._shown(entry) if entry in read_only else entry
                if shown not in seen:  # the default `fields` lists a read-only name and its display
                    seen.add(shown)
                    swapped.append(shown)
            return swapped

        return [
            (title, {**options, "fields": swap(options.get("fields", ()))})
            for title, options in super().get_fieldsets(request, obj)
        ]


class ReadableModelAdminMixin(ReadableValuesMixin):
    def get_list_display(self, request):
        editable = set(self.list_editable or ())
        return [name if name in editable else self._shown(name) for name in super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return links if links is None else [self._shown(name) for name in links]

    def get_sortable_by(self, request):
        return [self._shown(name) for name in super().get_sortable_by(request)]

    def get_inlines(self, request, obj):
        return [readable_admin_class(inline) for inline in super().get_inlines(request, obj)]


class ReadableInlineMixin(ReadableValuesMixin):
    def _view_only(self, request, obj) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        if obj is not None and parent is not None and not parent.has_change_permission(request, obj):
            return True
        # Rows are read-only when they cannot be changed; the empty rows to add need the real fields.
        return not self.has_change_permission(request, obj) and not self.has_add_permission(request, obj)


@functools.cache
def readable_admin_class(admin_class):
    """`admin_class` with the readable values; the same name, module and behaviour otherwise."""
    if issubclass(admin_class, ReadableValuesMixin):
        return admin_class
    if issubclass(admin_class, InlineModelAdmin):
        mixin = ReadableInlineMixin
    else:
        mixin = ReadableModelAdminMixin
    attributes = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    return type(admin_class.__name__, (mixin, admin_class), attributes)


class ReadableAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = readable_admin_class(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)
