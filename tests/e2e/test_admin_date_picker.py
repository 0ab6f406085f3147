"""Staff type a date in the admin with django-jalali's picker (issue 15 point 8), in Chromium."""

import datetime as dt
import re

import pytest

from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_pick_a_jalali_birth_date_in_the_admin(live_server, page, screenshot):
    """issue 15 point 8: the picker's scripts load from our static files under the site's CSP
    (no failed request, no script error), open on the field with Jalali months, and what it
    writes is saved as the Gregorian date."""
    customer = UserFactory(birth_date=dt.date(1991, 8, 11))
    staff = StaffFactory(is_superuser=True)
    failures, errors = [], []
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(staff.mobile)
    page.locator("#id_password").fill("staff-pass-123")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/accounts/user/{customer.pk}/change/")

    birth_date = page.locator("#id_birth_date")
    assert birth_date.input_value() == "1370/05/20"
    birth_date.click()
    picker = page.locator("#ui-datepicker-div")
    picker.wait_for(state="visible")
    # opened on the field's month: مرداد (the fifth solar month) of 1370
    assert picker.locator("select.ui-datepicker-month option:checked").inner_text() == "مرداد"
    screenshot("admin-date-picker", page)
    picker.locator("a", has_text=re.compile(r"^(10|۱۰)$")).first.click()
    assert birth_date.input_value() == "1370/05/10"  # as staff type it (static/js/admin_jalali_datepicker.js)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/accounts/user/$"))

    customer.refresh_from_db()
    assert customer.birth_date == dt.date(1991, 8, 1)
    assert not [url for url in failures if "/static/" in url], failures
    assert not errors, errors
