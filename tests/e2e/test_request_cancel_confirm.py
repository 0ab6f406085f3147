"""A thumb on 'لغو درخواست' must not cancel a request by itself: the page asks, and 'no' keeps it."""

import pytest

from insurance_requests.models import InsuranceRequest
from insurance_requests.services import insurance_request_submit
from insurers.models import Province
from tests.e2e.sessions import signed_in_page
from tests.factories import UserFactory
from tests.insurance_requests.factories import THIRD_PARTY, active_agent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cancel_asks_and_only_a_yes_cancels(live_server, playwright_browser):
    customer = UserFactory()
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    posted, _ = insurance_request_submit(
        customer=customer,
        line_code="third_party",
        insurer_codes=["iran"],
        params=THIRD_PARTY,
        province=Province.objects.get(code="tehran"),
        city="تهران",
    )
    context, page = signed_in_page(playwright_browser, live_server, customer, width=360)
    try:
        page.goto(f"{live_server.url}/requests/{posted.pk}/")
        asked = []

        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="لغو درخواست").click()
        page.wait_for_timeout(300)
        assert asked and "لغو شود" in asked[0]
        posted.refresh_from_db()
        assert posted.status == InsuranceRequest.Status.OPEN

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="لغو درخواست").click()
        page.get_by_text("درخواست لغو شد.").wait_for()
        posted.refresh_from_db()
        assert posted.status == InsuranceRequest.Status.CANCELLED
    finally:
        context.close()
