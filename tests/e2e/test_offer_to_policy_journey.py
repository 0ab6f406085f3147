"""Issue 14 points 3 and 6 in a browser: the agent whose offer was accepted records the policy
from it (every field filled, one look at the summary, confirm); later a policy near its end
gets the renewal reminder, and the customer follows the in-app link to a request already
filled with the policy's inputs and sends it with one click, first to that agent."""

import re

import pytest
from django.utils import timezone

from insurance_requests import services as request_services
from insurance_requests.models import Delivery, InsuranceRequest, LeadResponse
from insurers.models import Province
from policies import services as policy_services
from policies.models import Policy
from tests.e2e.sessions import signed_in_page
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent
from tests.policies.helpers import accepted_request, days, record, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PREMIUM = 18_000_000
FIRE_PARAMS = {
    "property_type": "residential",
    "construction_type": "concrete",
    "building_value": 3_000_000_000,
    "contents_value": 1_000_000_000,
}


def schedule() -> list[dict]:
    return [
        {"due_on": today().isoformat(), "amount": 6_000_000},
        {"due_on": (today() + days(30)).isoformat(), "amount": 6_000_000},
        {"due_on": (today() + days(60)).isoformat(), "amount": 6_000_000},
    ]


def accepted_offer(customer, agent) -> InsuranceRequest:
    """Through the marketplace's services: posted, answered, accepted; the offer's terms are
    then written on the response (as an offer from issue 14 point 1 carries them)."""
    request, _routing = request_services.insurance_request_submit(
        customer=customer,
        line_code="fire",
        insurer_codes=[agent.insurer.code],
        params=FIRE_PARAMS,
        province=Province.objects.get(code="tehran"),
        city="تهران",
    )
    response = request_services.lead_respond(agent=agent, request_id=request.pk, message="آماده صدور هستم")
    LeadResponse.objects.filter(pk=response.pk).update(
        premium=PREMIUM,
        quoted_premium=20_000_000,
        payment_plan=LeadResponse.PaymentPlan.INSTALLMENTS,
        installments=schedule(),
        covers=["earthquake"],
        valid_until=today() + days(5),
    )
    request_services.insurance_request_accept(customer=customer, request_id=request.pk, response_id=response.pk)
    return request


def assert_fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_offer_to_policy_then_renewal_in_one_click(live_server, playwright_browser, screenshot, width):
    customer = UserFactory(first_name="نرگس", last_name="امیری")
    agent = active_agent("iran", agency_name="نمایندگی آفتاب")
    request = accepted_offer(customer, agent)
    base = live_server.url
    contexts = []
    try:
        # --- the agent records the policy from the accepted offer ---------------------------
        ctx, agent_page = signed_in_page(playwright_browser, live_server, agent.user, width)
        contexts.append(ctx)
        agent_page.goto(f"{base}/agent/leads/{request.pk}/")
        agent_page.get_by_role("link", name="صدور بیمه‌نامه از این پیشنهاد").click()
        agent_page.wait_for_url(re.compile(rf"/policies/from-offer/{request.pk}/$"))
        assert "نرگس امیری" in agent_page.locator("#offer-summary").inner_text()
        assert agent_page.locator("#id_premium").input_value() == "18,000,000"
        assert agent_page.locator("#id_sum_insured").input_value() == "4,000,000,000"
        assert agent_page.locator("#id_payment_plan").input_value() == "installments"
        assert agent_page.locator("#id_keep_offer_schedule").is_checked()
        assert agent_page.locator("#offer-schedule tbody tr").count() == 3
        agent_page.locator("#id_policy_number").fill("۱۴۰۵/۹۹/۱۲")
        assert_fits(agent_page, width)
        screenshot(f"policy-from-offer-{width}", agent_page)
        agent_page.get_by_role("button", name="ثبت بیمه‌نامه", exact=True).click()
        confirm = agent_page.get_by_role("dialog", name="پیش از ثبت، با بیمه‌نامه مقایسه کنید")
        assert "۱۸٬۰۰۰٬۰۰۰ ریال" in confirm.locator('[data-confirm-value="premium"]').inner_text()
        confirm.get_by_role("button", name="تأیید و ثبت").click()
        agent_page.wait_for_url(re.compile(r"/policies/\d+/$"))
        agent_page.get_by_text("بیمه‌نامه ثبت شد؛ از پیشنهاد پذیرفته‌شده").wait_for()
        policy = Policy.objects.get(request=request)
        assert policy.premium == PREMIUM and policy.covers == ["earthquake"]
        assert [(row.due_on.isoformat(), row.amount) for row in policy.installments.all()] == [
            (row["due_on"], row["amount"]) for row in schedule()
        ]

        # --- months later: a third-party policy of this agent nears its end -----------------
        third_party_request = accepted_request(customer=customer, agent=agent, line="third_party")
        ending = record(
            agent,
            customer,
            line="third_party",
            issued_on=today() - days(360),
            length=365,
            request=third_party_request.pk,
            params={"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 3},
        )
        assert policy_services.renewal_reminders_send() == 1

        ctx, customer_page = signed_in_page(playwright_browser, live_server, customer, width)
        contexts.append(ctx)
        customer_page.goto(f"{base}/accounts/")
        customer_page.locator(f'a[href="/policies/{ending.pk}/renewal-request/"]').click()
        customer_page.wait_for_url(re.compile(rf"/policies/{ending.pk}/renewal-request/$"))
        assert "تمدید بیمه‌نامه" in customer_page.locator("#renewal-prefill").inner_text()
        # the same inputs, one more claim-free year, the same insurer, the same city
        assert customer_page.locator("#id_p_vehicle_group").input_value() == "car_4cyl"
        assert customer_page.locator("#id_p_no_claim_years").input_value() == "4"
        assert customer_page.locator("#id_city").input_value() == "تهران"
        assert customer_page.locator(f'input[name="insurers"][value="{agent.insurer.code}"]').is_checked()
        assert_fits(customer_page, width)
        screenshot(f"renewal-request-{width}", customer_page)
        customer_page.get_by_role("button", name="ثبت و ارسال درخواست").click()
        customer_page.wait_for_url(re.compile(r"/requests/\d+/$"))
        customer_page.get_by_text("درخواست تمدید ثبت شد").wait_for()
        renewal = InsuranceRequest.objects.get(preferred_agent=agent)
        assert renewal.params["no_claim_years"] == 4
        assert renewal.preferred_until > timezone.now()
        assert list(Delivery.objects.filter(request=renewal).values_list("agent_id", flat=True)) == [agent.pk]
    finally:
        for ctx in contexts:
            ctx.close()
