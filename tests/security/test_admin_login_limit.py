"""The staff sign-in at /admin/login/ is limited by failures per address and per account
from an address, with a Persian 429 (issue 13 point 3); see accounts/admin_login.py.

The limits are the settings' own (10 per address, 5 per account and address, 15 minutes).
"""

import pytest
from django.conf import settings
from django.test import Client

from core.text import to_persian_digits
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "staff-pass-123"  # StaffFactory's
ATTACKER = "203.0.113.7"
OWNER_ADDRESS = "198.51.100.20"


def _sign_in(client, username, password, address):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _assert_persian_429(response):
    assert response.status_code == 429, response.status_code
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= settings.ADMIN_LOGIN_WINDOW_SECONDS
    text = response.content.decode()
    assert "درخواست‌های شما بیش از حد مجاز است" in text
    assert f"{to_persian_digits(retry_after)} ثانیه" in text


def test_eleventh_wrong_password_from_one_address_is_a_persian_429():
    """issue 13 point 3: 10 failures per address, whatever accounts they name."""
    client = Client()
    for attempt in range(settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS):
        # A different account each time: only the per-address limit applies.
        response = _sign_in(client, f"0912000{attempt:04d}", "wrong", ATTACKER)
        assert response.status_code == 200, f"attempt {attempt + 1} answered {response.status_code}"
    _assert_persian_429(_sign_in(client, "09120009999", "wrong", ATTACKER))


def test_sixth_wrong_password_for_one_account_from_one_address_is_a_429():
    """issue 13 point 3: 5 failures per account from one address."""
    staff = StaffFactory()
    client = Client()
    for _attempt in range(settings.ADMIN_LOGIN_FAILURES_PER_ACCOUNT):
        assert _sign_in(client, staff.mobile, "wrong", ATTACKER).status_code == 200
    # The same account spelled differently is the same account.
    spelled = "+98" + staff.mobile[1:]
    _assert_persian_429(_sign_in(client, spelled, PASSWORD, ATTACKER))


def test_another_address_still_gets_the_form_and_the_owner_signs_in():
    """issue 13 point 3: an attacker's failures do not lock the owner out."""
    staff = StaffFactory()
    attacker = Client()
    for _attempt in range(settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS):
        _sign_in(attacker, staff.mobile, "wrong", ATTACKER)
    _assert_persian_429(_sign_in(attacker, staff.mobile, "wrong", ATTACKER))

    owner = Client()
    form = owner.get("/admin/login/", REMOTE_ADDR=OWNER_ADDRESS)
    assert form.status_code == 200 and 'name="password"' in form.content.decode()
    wrong_once = _sign_in(owner, staff.mobile, "wrong", OWNER_ADDRESS)
    assert wrong_once.status_code == 200  # the normal form with its error, not a 429
    signed_in = _sign_in(owner, staff.mobile, PASSWORD, OWNER_ADDRESS)
    assert signed_in.status_code == 302
    assert owner.get("/admin/", REMOTE_ADDR=OWNER_ADDRESS).status_code == 200


def test_successful_sign_ins_are_not_counted():
    """issue 13 point 3: only failures count; the owner is never charged for the right password."""
    staff = StaffFactory()
    for _attempt in range(settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS + 2):
        client = Client()
        assert _sign_in(client, staff.mobile, PASSWORD, OWNER_ADDRESS).status_code == 302


def test_the_limit_ends_with_its_window(monkeypatch):
    """issue 13 point 3: no lock-out outlasts the window."""
    import accounts.admin_login

    staff = StaffFactory()
    clock = [1_800_000_000.0]
    monkeypatch.setattr(accounts.admin_login, "_now", lambda: clock[0])
    client = Client()
    for _attempt in range(settings.ADMIN_LOGIN_FAILURES_PER_ACCOUNT):
        _sign_in(client, staff.mobile, "wrong", ATTACKER)
    _assert_persian_429(_sign_in(client, staff.mobile, PASSWORD, ATTACKER))
    clock[0] += settings.ADMIN_LOGIN_WINDOW_SECONDS
    assert _sign_in(client, staff.mobile, PASSWORD, ATTACKER).status_code == 302
