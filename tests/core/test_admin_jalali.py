import datetime as dt

import pytest

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_forms_show_jalali_dates(client):
    user = UserFactory(birth_date=dt.date(1991, 8, 11))
    client.force_login(StaffFactory())
    change = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'value="1370/05/20"' in change
    listing = client.get("/admin/core/auditlog/").status_code
    assert listing == 200


def test_admin_saves_a_jalali_birth_date(client):
    user = UserFactory()
    client.force_login(StaffFactory())
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"birth_date": "۱۳۷۰/۰۵/۲۰", "groups": [], "user_permissions": []})
    data = {k: v for k, v in data.items() if k not in {"password", "usable_password"}}
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.birth_date == dt.date(1991, 8, 11)


def test_readonly_datetimes_are_jalali(client):
    staff = StaffFactory()
    client.force_login(staff)
    html = client.get(f"/admin/accounts/user/{staff.pk}/change/").content.decode()
    assert "۱۴۰" in html  # date_joined (read-only) in Persian digits, solar year 14xx
