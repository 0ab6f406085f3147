"""Issue 14 point 1 in three browsers: agents of two insurers send priced offers through the lead page
(one discounted, typed in Persian toman), the customer compares them cheapest first (a table at
1280 px, cards at 360 px), accepts one after a confirmation, and sees the agency revealed."""

import re

import pytest
from rest_framework.test import APIClient

from core.text import group_thousands, to_persian_digits
from insurance_requests.models import InsuranceRequest, LeadResponse
from insurance_requests.selectors import offer_pricing
from tests.e2e.sessions import signed_in_page
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent, request_payload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _post_request(customer) -> InsuranceRequest:
    client = APIClient()
    client.force_authenticate(customer)
    posted = client.post("/api/v1/requests/", request_payload(insurers=["iran", "asia"]), format="json")
    assert posted.status_code == 201, posted.content
    return InsuranceRequest.objects.get(pk=posted.json()["id"])


@pytest.mark.parametrize("width", [360, 1280])
def test_two_priced_offers_compared_cheapest_first_and_one_accepted(live_server, playwright_browser, screenshot, width):
    customer = UserFactory(first_name="سارا", last_name="محمدی", mobile="09121234567")
    iran = active_agent("iran", agency_name="نمایندگی امید", postal_code="1591634311")
    asia = active_agent("asia", agency_name="نمایندگی آسیا مرکزی")
    request = _post_request(customer)
    base = live_server.url
    contexts = []
    try:
        # The Iran agent discounts down to the floor, typing toman in Persian digits.
        ctx, page = signed_in_page(playwright_browser, live_server, iran.user, width)
        contexts.append(ctx)
        page.goto(f"{base}/agent/leads/{request.pk}/")
        bounds = offer_pricing(request=request, insurer_code="iran").bounds
        premium = page.locator("#id_premium")
        assert premium.input_value() == to_persian_digits(group_thousands(bounds.tariff_premium // 10))
        floor_toman = -(-bounds.floor_premium // 10)
        premium.fill("")
        premium.press_sequentially(to_persian_digits(str(floor_toman)))
        page.locator("#premium-rial").get_by_text(to_persian_digits(group_thousands(floor_toman * 10))).wait_for()
        page.locator("#id_message").fill("با تخفیف ویژه نمایندگی")
        screenshot(f"offer-form-{width}", page)
        page.get_by_role("button", name="اعلام آمادگی").click()
        page.get_by_text("آمادگی شما به بیمه‌گذار اعلام شد").wait_for()
        page.locator("#my-offer").wait_for()

        # The Asia agent sends the tariff premium as prefilled.
        ctx, page = signed_in_page(playwright_browser, live_server, asia.user, width)
        contexts.append(ctx)
        page.goto(f"{base}/agent/leads/{request.pk}/")
        page.get_by_role("button", name="اعلام آمادگی").click()
        page.get_by_text("آمادگی شما به بیمه‌گذار اعلام شد").wait_for()

        offers = {o.insurer.code: o.premium for o in LeadResponse.objects.select_related("insurer")}
        assert offers["iran"] == floor_toman * 10 and offers["asia"] > 0 and offers["iran"] != offers["asia"]
        expected = sorted(offers, key=offers.get)
        names = {"iran": "بیمه ایران", "asia": "بیمه آسیا"}

        ctx, customer_page = signed_in_page(playwright_browser, live_server, customer, width)
        contexts.append(ctx)
        customer_page.goto(f"{base}/requests/{request.pk}/")
        container, row = ("#offers-table", ".offer-row") if width >= 768 else ("#offers-cards", ".offer-card")
        rows = customer_page.locator(f"{container} {row}")
        rows.first.wait_for()
        assert rows.first.is_visible()
        shown = rows.all_inner_texts()
        assert [next(code for code, name in names.items() if name in text) for text in shown] == expected
        assert "نمایندگی امید" not in customer_page.content()  # anonymous until accepted
        screenshot(f"offers-compare-{width}", customer_page)
        assert customer_page.evaluate("document.documentElement.scrollWidth") <= width

        cheapest = expected[0]
        rows.filter(has_text=names[cheapest]).get_by_role("link", name="پذیرش این پیشنهاد").click()
        customer_page.wait_for_url(re.compile(r"/responses/\d+/accept/$"))
        assert InsuranceRequest.objects.get(pk=request.pk).status == InsuranceRequest.Status.OPEN
        customer_page.get_by_role("button", name="بله، این پیشنهاد را می‌پذیرم").click()
        customer_page.wait_for_url(re.compile(rf"/requests/{request.pk}/$"))
        revealed = customer_page.locator("#revealed-agent")
        revealed.get_by_text(names[cheapest]).wait_for()
        accepted = InsuranceRequest.objects.get(pk=request.pk).accepted_response
        assert accepted.insurer.code == cheapest
        if cheapest == "iran":
            assert customer_page.locator("#agent-postal-code").inner_text() == to_persian_digits("1591634311")
    finally:
        for ctx in contexts:
            ctx.close()
