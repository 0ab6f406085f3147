"""Twenty agents of one insurer answer one lead at the same moment (PostgreSQL, real transactions)."""

import pytest
from rest_framework.test import APIClient

from insurance_requests.models import LeadResponse
from tests.concurrency import run_at_once
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _answer(agent, request_id):
    client = APIClient()
    client.force_authenticate(agent.user)
    return client.post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(message="آماده‌ام"), format="json")


@pytest.mark.rule("R-010")
def test_twenty_simultaneous_answers_from_one_insurer_give_one_201_and_nineteen_409(post_request):
    agents = [active_agent("iran") for _ in range(20)]
    request_id = post_request(insurers=["iran"]).json()["id"]
    responses = run_at_once([lambda agent=agent: _answer(agent, request_id) for agent in agents])
    assert sorted(response.status_code for response in responses) == [201] + [409] * 19
    assert LeadResponse.objects.filter(request_id=request_id).count() == 1
