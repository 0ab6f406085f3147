"""Dates with the card's library (issue 15 point 8): the forms and the admin type Jalali dates
through django-jalali's field and widgets, dates stay Gregorian `date`s, and nothing patches
the admin's internals any more."""

import datetime as dt
import json
import re

import pytest
from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.templatetags import admin_list
from django.core.management import call_command
from django.db import models
from django_jalali import forms as jforms
from django_jalali.admin.widgets import AdminjDateWidget

from core.fields import JalaliDateFormField, JalaliDateInput
from tests.admin.conftest import visible_text
from tests.factories import UserFactory

PICKER_ASSET = re.compile(
    r'(?:src|href)="([^"]*(?:datepicker\.jalali|admin_jalali_datepicker\.js|admin/css/main\.css)[^"]*)"'
)


def test_django_admin_internals_are_left_as_django_ships_them():
    """issue 15 point 8: no global patch of the admin's display function or form field defaults."""
    for module in (admin_utils, helpers, admin_list):
        assert module.display_for_field.__module__ == "django.contrib.admin.utils", module
    assert options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] == {"widget": admin_widgets.AdminDateWidget}


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("1404/08/30", dt.date(2025, 11, 21)),
        ("۱۴۰۴/۰۸/۳۰", dt.date(2025, 11, 21)),
        ("1404-08-30", dt.date(2025, 11, 21)),  # what django-jalali's picker writes
        ("۱۴۰۴-۸-۵", dt.date(2025, 10, 27)),
        ("2025-11-21", dt.date(2025, 11, 21)),
    ],
)
def test_form_date_field_is_django_jalalis_and_cleans_to_a_gregorian_date(typed, day):
    """issue 15 point 8: the one form date field is django-jalali's jDateField, reading what
    people type (Persian or Latin digits) into a Gregorian `datetime.date` for the services."""
    field = JalaliDateFormField()

    cleaned = field.clean(typed)

    assert isinstance(field, jforms.jDateField)
    assert isinstance(field.widget, jforms.jDateInput)
    assert type(cleaned) is dt.date and cleaned == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1404/13/01", "تاریخ شمسی نامعتبر است."),
        ("1404/12/30", "تاریخ شمسی نامعتبر است."),  # 1404 is not a leap year
        ("2025-02-30", "تاریخ نامعتبر است."),
        ("فردا", "تاریخ را به شکل ۱۴۰۴/۰۸/۳۰ وارد کنید."),
    ],
)
def test_form_date_field_keeps_its_persian_errors(typed, message):
    """issue 15 point 8: django-jalali's English "Enter a valid date." never reaches a user."""
    with pytest.raises(Exception) as refused:
        JalaliDateFormField().clean(typed)

    assert refused.value.messages == [message]


def test_form_date_field_shows_a_gregorian_initial_in_jalali():
    """issue 15 point 8: a stored date comes back in the form as the user would type it."""
    field = JalaliDateFormField()

    html = JalaliDateInput().render("day", field.prepare_value(dt.date(1991, 8, 11)))

    assert 'value="1370/05/20"' in html


@pytest.mark.django_db
def test_admin_change_form_types_a_date_with_django_jalalis_picker_served_by_us(staff_client):
    """issue 15 point 8: the admin's DateField input is django-jalali's widget, and every file
    of its picker comes from our static files (never a CDN) and answers 200."""
    user = UserFactory(birth_date=dt.date(1991, 8, 11))

    page = staff_client.get(f"/admin/accounts/user/{user.pk}/change/")

    field = page.context["adminform"].form.fields["birth_date"]
    assert isinstance(field, JalaliDateFormField)
    assert isinstance(field.widget, AdminjDateWidget)
    html = page.content.decode()
    birth_date_input = re.search(r'<input[^>]*name="birth_date"[^>]*>', html).group(0)
    assert 'class="vjDateField"' in birth_date_input and 'value="1370/05/20"' in birth_date_input
    assets = re.findall(PICKER_ASSET, html)
    assert len(assets) == 9, assets  # django-jalali's six scripts and two style sheets, our start-up script
    for url in assets:
        assert url.startswith("/static/"), url
        assert staff_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_admin_lists_and_read_only_pages_still_show_jalali_dates(scene, staff_client):
    """issue 15 point 8: without the patch, a policy's dates read Jalali in the list (a date
    column, still sortable) and on its read-only page."""
    policy = scene["body_policy"]
    starts = policy.starts_on

    listing = staff_client.get("/admin/policies/policy/?o=7")
    detail = staff_client.get(f"/admin/policies/policy/{policy.pk}/change/")

    from core.jalali import format_jalali
    from core.text import to_persian_digits

    shown = to_persian_digits(format_jalali(starts))
    assert listing.status_code == 200 and shown in visible_text(listing.content.decode())
    assert 'class="sortable column-starts_on sorted ascending"' in listing.content.decode()
    assert shown in visible_text(detail.content.decode())
    assert starts.isoformat() not in detail.content.decode()


def test_collectstatic_hashes_the_date_pickers_files_for_production(tmp_path, settings):
    """issue 15 point 8: the picker's files go through the production build (hashed, compressed,
    served by whitenoise); django-jalali's theme names images it does not ship, which must not
    fail the build (core.staticfiles)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"}}

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("js/admin_jalali_datepicker.js", "admin/jquery.ui.datepicker.jalali/themes/base/jquery-ui.min.css"):
        assert manifest[name] != name and (tmp_path / manifest[name]).exists(), name
