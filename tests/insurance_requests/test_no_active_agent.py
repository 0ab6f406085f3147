"""issue 14 point 10: a request none of whose chosen insurers has an active agent in the
province is not accepted in silence; the answer names the insurers that do have one there."""

import pytest

from core.models import AuditLog
from insurance_requests.models import Delivery, InsuranceRequest
from insurance_requests.selectors import insurers_with_active_agents
from insurers.models import Province
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_request_that_reaches_nobody_naming_the_insurers_that_have_agents_there(post_request):
    """issue 14 point 10: 400 on `insurers`, code no_active_agent, the covered insurers by name and code."""
    active_agent("asia")  # covers Tehran, but was not chosen
    active_agent("dana", province="fars")  # chosen nowhere, and elsewhere
    answer = post_request(insurers=["iran", "saman"])
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "no_active_agent" and body["insurers_with_active_agents"] == ["asia"]
    message = body["insurers"][0]
    assert "بیمه آسیا" in message and "تهران" in message and "بیمه دانا" not in message
    assert not InsuranceRequest.objects.exists()
    assert not Delivery.objects.exists()
    assert not AuditLog.objects.filter(action="request.submitted").exists()


def test_a_province_without_any_active_agent_says_so(post_request):
    """issue 14 point 10: with nobody in the province, the refusal says no insurer has an agent there."""
    active_agent("iran", province="fars")
    answer = post_request(insurers=["iran"])
    assert answer.status_code == 400
    assert answer.json()["insurers_with_active_agents"] == []
    assert "هیچ بیمه‌گری" in answer.json()["insurers"][0]


def test_one_covered_insurer_is_enough_to_post_as_before(post_request):
    """issue 14 point 10: a request with at least one covered insurer posts, the others reported."""
    active_agent("iran")
    answer = post_request(insurers=["iran", "saman"])
    assert answer.status_code == 201, answer.json()
    assert answer.json()["insurers_without_agents"] == ["saman"]


def test_the_form_says_so_before_posting_and_keeps_what_was_typed(customer, client):
    """issue 14 point 10: the request form comes back with the message beside the insurers, nothing posted."""
    active_agent("asia")
    client.force_login(customer)
    response = client.post(
        "/requests/new/?line=third_party",
        {
            "line": "third_party",
            "p_vehicle_group": "car_4cyl",
            "p_usage": "personal",
            "p_no_claim_years": "4",
            "province": "tehran",
            "city": "شمیران",
            "note": "پژو ۲۰۶",
            "insurers": ["iran"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "در این استان نماینده فعال دارند: بیمه آسیا" in html
    assert 'value="شمیران"' in html and "پژو ۲۰۶" in html and 'name="p_no_claim_years" value="4"' in html
    assert not InsuranceRequest.objects.exists()


def test_a_repost_that_would_reach_only_the_excluded_agent_is_refused(post_request, customer_client):
    """issue 14 point 10: after ending the only agent's cooperation, the repost reaches nobody: refused."""
    agent = active_agent("iran")
    request_id = post_request(insurers=["iran"]).json()["id"]
    response_id = client_for(agent.user).post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json"
    )
    assert response_id.status_code == 201
    customer_client.post(f"/api/v1/requests/{request_id}/responses/{response_id.json()['id']}/accept/")
    customer_client.post(f"/api/v1/requests/{request_id}/end-cooperation/", {"reason": "پاسخ نداد"}, format="json")
    answer = customer_client.post(f"/api/v1/requests/{request_id}/repost/")
    assert answer.status_code == 400 and answer.json()["insurers_with_active_agents"] == []
    assert InsuranceRequest.objects.count() == 1


def test_the_covered_insurers_are_read_in_one_query(django_assert_num_queries):
    """issue 14 point 10: the selector behind the message is one query, however many agents."""
    for insurer in ("iran", "iran", "asia"):
        active_agent(insurer)
    active_agent("dana", province="fars")
    active_agent("saman", province="fars", serves=["tehran"])
    tehran = Province.objects.get(code="tehran")
    with django_assert_num_queries(1):
        covered = insurers_with_active_agents(province=tehran)
    assert sorted(insurer.code for insurer in covered) == ["asia", "iran", "saman"]
