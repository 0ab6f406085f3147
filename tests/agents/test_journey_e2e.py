"""The acceptance journey in Chromium: a new agent onboards, staff approve in the admin,
the agent starts the trial, buys a plan through the sandbox and sees days left and the invoice."""

import re
from pathlib import Path

import pytest

from agents.models import Agent, Invoice
from tests.agents.images import png_bytes
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"agents-{name}.png"), full_page=True)


def sign_up(page, base, sms_outbox):
    page.goto(f"{base}/accounts/register/")
    page.locator("#id_first_name").fill("رضا")
    page.locator("#id_last_name").fill("کریمی")
    page.locator("#id_national_code").fill("0499370899")
    page.locator("#id_mobile").fill("09351234567")
    page.get_by_role("button", name="دریافت کد تأیید").click()
    page.wait_for_url(re.compile(r"/accounts/verify/$"))
    page.get_by_text("پیامک فرستاده شد").wait_for()
    page.locator("#id_code").fill(sms_outbox[-1].code)
    page.get_by_role("button", name="تأیید و ورود").click()
    page.wait_for_url(re.compile(r"/accounts/$"))


def test_agent_onboarding_approval_trial_and_purchase(
    reference_data, live_server, page, playwright_browser, sms_outbox, tmp_path
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # A new agent registers (SMS code) and fills the initial form.
    sign_up(page, base, sms_outbox)
    page.goto(f"{base}/agent/")
    page.wait_for_url(re.compile(r"/agent/register/$"))
    page.locator("#id_insurer").select_option(label="بیمه ایران")
    page.locator("#id_agency_code").fill("۴۵۶۷")
    page.locator("#id_agency_name").fill("نمایندگی کریمی")
    page.locator("#id_province").select_option(label="تهران")
    page.locator("#id_city").fill("تهران")
    page.locator("#id_postal_address").fill("خیابان آزادی، پلاک ۱۲")
    page.locator("#id_postal_code").fill("۱۳۴۵۶۷۸۹۰۱")
    page.locator("#id_office_phone").fill("۰۲۱۶۶۰۰۱۱۲۲")
    shot(page, "register")
    page.get_by_role("button", name="ثبت و ادامه").click()

    # Terms and plan.
    page.wait_for_url(re.compile(r"/agent/terms/$"))
    page.get_by_label("اشتراک سه‌ماهه").check()
    page.get_by_label("مقررات و ضوابط پرداخت را خواندم و می‌پذیرم.").check()
    shot(page, "terms")
    page.get_by_role("button", name="پذیرش و ادامه").click()

    # The limited dashboard points at the documents.
    page.wait_for_url(re.compile(r"/agent/$"))
    page.locator("#lead-counts").wait_for()
    page.locator("#next-step").get_by_role("link", name="ارسال مدارک").click()

    licence = tmp_path / "licence.png"
    licence.write_bytes(png_bytes(size=(600, 400)))
    page.locator("#id_licence_image").set_input_files(str(licence))
    page.locator("#id_licence_number").fill("۱۲۳۴۵۶")
    page.locator("#id_licence_expires_on").fill("۱۴۱۰/۰۱/۰۱")
    page.get_by_label("البرز").check()
    shot(page, "documents")
    page.get_by_role("button", name="ارسال مدارک").click()
    page.wait_for_url(re.compile(r"/agent/$"))
    page.locator('[data-step="verification"][data-state="current"]').wait_for()
    agent = Agent.objects.get(agency_code="4567")
    assert agent.status == Agent.Status.PENDING_VERIFICATION

    # Staff approve it from the admin queue, with the licence shown inline.
    StaffFactory(mobile="09120000001")
    staff_context = playwright_browser.new_context(locale="fa-IR")
    staff = staff_context.new_page()
    staff.goto(f"{base}/admin/login/?next=/admin/agents/agent/")
    staff.locator("#id_username").fill("09120000001")
    staff.locator("#id_password").fill("staff-pass-123")
    staff.locator("input[type=submit]").click()
    staff.wait_for_url(re.compile(r"/admin/agents/agent/"))
    staff.get_by_role("link", name="نمایندگی کریمی").click()
    image = staff.locator(f'img[src="/agent/licence/{agent.pk}/"]')
    image.wait_for()
    assert staff.evaluate("img => img.naturalWidth", image.element_handle()) == 600
    shot(staff, "admin-change")
    staff.go_back()
    staff.locator(f'input[name="_selected_action"][value="{agent.pk}"]').check()
    staff.locator('select[name="action"]').select_option("approve_selected")
    staff.locator('button[name="index"]').click()
    staff.get_by_text("۱ نماینده تأیید شد").or_(staff.get_by_text("1 نماینده تأیید شد")).wait_for()
    staff_context.close()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.VERIFIED

    # The agent starts the trial: the gateway opens.
    page.goto(f"{base}/agent/")
    page.get_by_role("button", name="فعال‌سازی اشتراک آزمایشی رایگان").click()
    page.locator('#gateway-state[data-open="true"]').wait_for()

    # And buys a plan through the sandbox gateway.
    page.locator('button[data-plan="quarterly"]').click()
    page.wait_for_url(re.compile(r"/agent/payments/sandbox/"))
    shot(page, "sandbox")
    page.get_by_role("button", name="پرداخت موفق").click()
    page.wait_for_url(re.compile(r"/agent/$"))
    page.get_by_text("پرداخت با موفقیت انجام شد").wait_for()
    assert page.locator("#days-left").inner_text() == "۹۷"  # 7 trial days + 90
    page.locator('#invoices tr[data-status="paid"]').wait_for()
    shot(page, "dashboard")
    assert Invoice.objects.get(agent=agent).status == Invoice.Status.PAID

    # On a phone the dashboard fits the screen: no sideways scroll.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{base}/agent/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "dashboard-360")
