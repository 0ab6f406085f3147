"""The customer's request page on a phone: call the accepted agent with one tap, never cancel by one."""

import pytest

from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


@pytest.mark.rule("R-009")
def test_the_accepted_agents_office_phone_is_a_tap_to_call_link(post_request, customer, customer_client, client):
    agent = active_agent("iran", office_phone="02188776655")
    request_id = post_request().json()["id"]
    response_id = (
        client_for(agent.user)
        .post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json")
        .json()["id"]
    )
    customer_client.post(f"/api/v1/requests/{request_id}/responses/{response_id}/accept/")
    client.force_login(customer)
    html = client.get(f"/requests/{request_id}/").content.decode()
    assert '<a href="tel:02188776655" dir="ltr">۰۲۱۸۸۷۷۶۶۵۵</a>' in html


def test_cancelling_a_request_asks_first(post_request, customer, client):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    request_id = post_request().json()["id"]
    client.force_login(customer)
    html = client.get(f"/requests/{request_id}/").content.decode()
    assert f'action="/requests/{request_id}/cancel/" data-ask="این درخواست لغو شود؟' in html


def test_an_open_request_with_answers_says_they_arrived_not_that_it_waits(post_request, customer, client):
    agent = active_agent("iran")
    request_id = post_request().json()["id"]
    client.force_login(customer)
    assert "در انتظار پاسخ نمایندگان" in client.get(f"/requests/{request_id}/").content.decode()
    client_for(agent.user).post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json")
    page = client.get(f"/requests/{request_id}/").content.decode()
    assert "باز؛ ۱ پاسخ رسیده، یکی را بپذیرید" in page and "در انتظار پاسخ نمایندگان" not in page
    listing = client.get("/requests/").content.decode()
    assert "باز؛ پاسخ رسیده" in listing and "در انتظار پاسخ نمایندگان" not in listing
