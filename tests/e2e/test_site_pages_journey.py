"""The site's own pages in Chromium at 1280 and 360 px (issue 14 point 8): from the home page's
footer to the FAQ (a question opens without help), the agents' page, and an agent's sign-up that
goes through the sign-in code and the initial form and comes back to the agents' page."""

import re

import pytest

from agents.models import Agent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def footer_link(page, name):
    return page.locator("footer").get_by_role("link", name=name, exact=True)


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_footer_faq_agents_page_and_an_agent_sign_up_that_comes_back(live_server, page, sms_outbox, screenshot, width):
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 800})

    # Home → the footer → the FAQ; a question opens by its summary (native <details>).
    page.goto(f"{base}/")
    footer_link(page, "پرسش‌های متداول").click()
    page.wait_for_url(f"{base}/faq/")
    question = page.locator("details", has=page.locator("summary", has_text="بیمه مال چگونه فعالیت می کند؟"))
    answer = question.get_by_text("از هر شرکت بیمه ای فقط یک نماینده می تواند اعلام آمادگی نماید", exact=False)
    assert not answer.is_visible()
    question.locator("summary").click()
    answer.wait_for()
    assert question.get_attribute("open") is not None
    no_sideways_scroll(page, width)
    screenshot(f"faq-{width}")

    # Terms and contact from the footer.
    footer_link(page, "قوانین و مقررات").click()
    page.wait_for_url(f"{base}/terms/")
    no_sideways_scroll(page, width)
    screenshot(f"terms-{width}")
    footer_link(page, "تماس و پشتیبانی").click()
    page.wait_for_url(f"{base}/contact/")
    page.get_by_text("ساعت پاسخ‌گویی").first.wait_for()
    no_sideways_scroll(page, width)
    screenshot(f"contact-{width}")

    # The agents' page: the plans with their prices, and the sign-up.
    footer_link(page, "نمایندگان بیمه").click()
    page.wait_for_url(f"{base}/for-agents/")
    page.locator('#plans [data-plan="monthly"]').get_by_text("۵۰۰٬۰۰۰ تومان").wait_for()
    no_sideways_scroll(page, width)
    screenshot(f"agents-page-{width}")
    page.locator("#agent-sign-up").click()

    # Sign-in by SMS code, carrying where the sign-up is going.
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert "next=/agent/register/%3Fnext%3D/for-agents/" in page.url
    page.locator("#id_mobile").fill("۰۹۳۵۱۲۳۴۵۶۷")
    page.get_by_role("button", name="دریافت کد ورود").click()
    page.wait_for_url(re.compile(r"/accounts/verify/$"))
    page.get_by_text("پیامک فرستاده شد").wait_for()
    page.locator("#id_code").fill(sms_outbox[-1].code)
    page.get_by_role("button", name="تأیید و ورود").click()
    page.wait_for_url(re.compile(r"/accounts/sign-up/$"))
    page.locator("#id_first_name").fill("رضا")
    page.locator("#id_last_name").fill("کریمی")
    page.locator("#id_national_code").fill("۰۴۹۹۳۷۰۸۹۹")
    page.get_by_role("button", name="تکمیل ثبت‌نام").click()

    # Lands on the agent's initial form, which still knows where to return.
    page.wait_for_url(re.compile(r"/agent/register/\?next=/for-agents/$"))
    assert page.locator('input[name="next"]').get_attribute("value") == "/for-agents/"
    page.locator("#id_insurer").select_option(label="بیمه ایران")
    page.locator("#id_agency_code").fill("۴۵۶۷")
    page.locator("#id_agency_name").fill("نمایندگی کریمی")
    page.locator("#id_province").select_option(label="تهران")
    page.locator("#id_city").fill("تهران")
    page.locator("#id_postal_address").fill("خیابان آزادی، پلاک ۱۲")
    page.locator("#id_postal_code").fill("۱۳۴۵۶۷۸۹۰۱")
    page.locator("#id_office_phone").fill("۰۲۱۶۶۰۰۱۱۲۲")
    page.get_by_role("button", name="ثبت و ادامه").click()

    # Back on the agents' page, which now shows the next step of the onboarding.
    page.wait_for_url(f"{base}/for-agents/")
    page.get_by_text("فرم اولیه ثبت شد").wait_for()
    page.locator("#agent-next-step").get_by_role("link", name="مطالعه مقررات").wait_for()
    assert Agent.objects.get(user__mobile="09351234567").status == Agent.Status.PENDING_TERMS
    no_sideways_scroll(page, width)
