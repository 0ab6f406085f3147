"""A signed-in customer edits the profile, asks for an identity change and opens a ticket;
staff approve the change and answer the ticket in the Django admin."""

import re

import pytest

from accounts.models import IdentityChangeRequest, SupportTicket
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in_by_code(page, base_url, mobile, sms_outbox):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_mobile").fill(mobile)
    page.get_by_role("button", name="دریافت کد ورود").click()
    page.wait_for_url(re.compile(r"/accounts/verify/$"))
    page.get_by_text("پیامک فرستاده شد").wait_for()
    page.locator("#id_code").fill(sms_outbox[-1].code)
    page.get_by_role("button", name="تأیید و ورود").click()
    page.wait_for_url(re.compile(r"/accounts/$"))


def test_profile_identity_change_and_ticket_answered_by_staff(
    live_server, page, playwright_browser, sms_outbox, screenshot
):
    customer = UserFactory(mobile="09121234567", first_name="مریم", last_name="احمدی")
    _sign_in_by_code(page, live_server.url, "09121234567", sms_outbox)

    page.goto(f"{live_server.url}/accounts/profile/")
    page.locator("#id_city").fill("تهران")
    page.locator("#id_postal_code").fill("۱۴۱۶۶۳۴۴۵۶")
    page.locator("#id_birth_date").fill("۱۳۷۰/۰۵/۲۰")
    page.get_by_role("button", name="ذخیره").click()
    page.get_by_text("نمایه ذخیره شد").wait_for()
    customer.refresh_from_db()
    assert (customer.city, customer.postal_code, customer.birth_date.isoformat()) == (
        "تهران",
        "1416634456",
        "1991-08-11",
    )

    page.get_by_role("link", name="درخواست اصلاح اطلاعات هویتی").click()
    page.locator("#id_field").select_option("last_name")
    page.locator("#id_new_value").fill("احمدی‌فر")
    page.locator("#id_reason").fill("نام خانوادگی در شناسنامه اصلاح شده است")
    page.get_by_role("button", name="ثبت درخواست").click()
    page.get_by_text("درخواست شما ثبت شد").wait_for()
    screenshot("profile-identity-change")

    page.goto(f"{live_server.url}/accounts/tickets/")
    page.locator("#id_category").select_option("upgrade")
    page.locator("#id_subject").fill("ارتقای حساب")
    page.locator("#id_body").fill("می‌خواهم حساب شرکتی داشته باشم.")
    page.get_by_role("button", name="ارسال").click()
    page.get_by_text("تیکت شما ثبت شد").wait_for()

    # Staff, in another browser context, in the Django admin.
    StaffFactory(mobile="09120000000")
    staff_context = playwright_browser.new_context(locale="fa-IR")
    admin = staff_context.new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("#id_username").fill("09120000000")
    admin.locator("#id_password").fill("staff-pass-123")
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    change = IdentityChangeRequest.objects.get()
    admin.goto(f"{live_server.url}/admin/accounts/identitychangerequest/{change.pk}/change/")
    admin.locator("input[name=_approve]").click()
    admin.wait_for_url(re.compile(r"/identitychangerequest/$"))
    ticket = SupportTicket.objects.get()
    admin.goto(f"{live_server.url}/admin/accounts/supportticket/{ticket.pk}/change/")
    admin.locator("#id_reply").fill("حساب شما ارتقا یافت.")
    admin.locator("input[name=_save]").click()
    admin.wait_for_url(re.compile(r"/supportticket/$"))
    staff_context.close()

    customer.refresh_from_db()
    assert customer.last_name == "احمدی‌فر"
    page.goto(f"{live_server.url}/accounts/tickets/{ticket.pk}/")
    page.get_by_text("حساب شما ارتقا یافت.").wait_for()
    screenshot("ticket-answered")
    assert any("تیکت" in sms.text for sms in sms_outbox if sms.to == "09121234567")
