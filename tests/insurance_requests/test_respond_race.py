"""Twenty agents of one insurer answer one lead at the same moment (PostgreSQL, real transactions)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from insurance_requests.models import LeadResponse
from tests.insurance_requests.factories import active_agent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_answers_from_one_insurer_give_one_201_and_nineteen_409(post_request):
    agents = [active_agent("iran") for _ in range(20)]
    request_id = post_request(insurers=["iran"]).json()["id"]
    barrier = threading.Barrier(len(agents))
    statuses = []
    lock = threading.Lock()

    def answer(agent):
        client = APIClient()
        client.force_authenticate(agent.user)
        try:
            barrier.wait()
            response = client.post(f"/api/v1/agent/leads/{request_id}/respond/", {"message": "آماده‌ام"}, format="json")
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * 19
    assert LeadResponse.objects.filter(request_id=request_id).count() == 1
