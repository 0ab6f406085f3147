"""issue 14 points 2 and 10 in the browser: a customer goes from the quote page to the request
form; a choice of insurers with nobody in the province is refused on the form, naming who is
there; the posted request keeps its quote, and the agent sees their insurer's price on the lead."""

import re

import pytest

from insurance_requests.models import InsuranceRequest
from tests.e2e.sessions import signed_in_page
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_a_request_from_a_quote_keeps_its_price_for_the_agent(live_server, playwright_browser, screenshot, width):
    customer = UserFactory(first_name="سارا", last_name="محمدی")
    iran = active_agent("iran", agency_name="نمایندگی امید")
    base = live_server.url
    contexts = []
    try:
        ctx, page = signed_in_page(playwright_browser, live_server, customer, width)
        contexts.append(ctx)
        # The first quote of a fresh server builds the tariff snapshot: on a shared CI core
        # that page alone has taken more than the default 10 s.
        ctx.set_default_navigation_timeout(30_000)
        page.goto(f"{base}/pricing/third_party/")
        page.locator("#id_no_claim_years").fill("۳")
        page.get_by_role("button", name="مقایسه قیمت‌ها").click()
        page.locator("#results-title").wait_for()
        page.get_by_role("link", name="درخواست از نمایندگان این بیمه‌گران").click()
        page.wait_for_url(re.compile(r"/requests/new/\?.*tariff_year=1405"))
        page.locator("#quote-tariff-note").get_by_text("تعرفه سال ۱۴۰۵").wait_for()

        # Only insurers with nobody in Tehran: the form refuses before anything is posted.
        page.locator("#id_province").select_option("tehran")
        page.locator("#ins-iran").wait_for()  # htmx swapped in the availability badges
        for checkbox in page.locator("input[name=insurers]").all():  # the hand-off chose all 23
            checkbox.uncheck()
        page.locator("#ins-saman").check()
        page.locator("#id_city").fill("تهران")
        page.get_by_role("button", name="ثبت و ارسال درخواست").click()
        page.get_by_text("در این استان نماینده فعال دارند: بیمه ایران").wait_for()
        assert not InsuranceRequest.objects.exists()
        assert page.locator("#id_city").input_value() == "تهران"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"request-no-active-agent-{width}", page)

        page.locator("#ins-iran").check()
        page.get_by_role("button", name="ثبت و ارسال درخواست").click()
        page.wait_for_url(re.compile(r"/requests/\d+/$"))
        page.get_by_text("قیمت‌ها بر اساس تعرفه سال ۱۴۰۵ همراه درخواست ثبت شد").wait_for()
        posted = InsuranceRequest.objects.get()
        premium = next(line["premium"] for line in posted.quote["quotes"] if line["insurer"] == "iran")

        ctx, agent_page = signed_in_page(playwright_browser, live_server, iran.user, width)
        contexts.append(ctx)
        agent_page.goto(f"{base}/agent/leads/{posted.pk}/")
        quote = agent_page.locator("#request-quote")
        quote.get_by_text("قیمت‌ها بر اساس تعرفه سال ۱۴۰۵").wait_for()
        assert quote.locator("[data-premium]").get_attribute("data-premium") == str(premium)
        assert quote.locator("tbody tr").count() >= 2
        assert not re.search(r"[0-9]", quote.inner_text())
        assert agent_page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"lead-quote-{width}", agent_page)
    finally:
        for context in contexts:
            context.close()
