"""Rules of source 000 (the portal's FAQ) that no other test proved closely enough.

Each test names its row of docs/RULES.md with the `rule` marker.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent, offer_payload, request_payload

pytestmark = pytest.mark.django_db

MOBILE = "09121234567"


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.rule("R-001")
def test_the_account_exists_only_once_the_sms_code_verified_the_mobile(
    api_client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register/",
            {"mobile": MOBILE, "first_name": "مریم", "last_name": "احمدی", "national_code": "0499370899"},
            format="json",
        )
    assert response.status_code in (200, 201, 202), response.json()
    # the form alone makes no account: the code sent by SMS has to come back first
    assert not User.objects.filter(mobile=MOBILE).exists()
    code = sms_outbox[-1].code
    response = api_client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": code}, format="json")
    assert response.status_code == 200
    assert response.json()["token"]  # and the customer is signed in
    assert User.objects.get(mobile=MOBILE).is_verified


@pytest.mark.rule("R-009")
def test_the_agency_code_name_and_postal_address_appear_on_the_customers_page_once_accepted(
    client, django_capture_on_commit_callbacks
):
    customer = UserFactory()
    agent = active_agent("iran", agency_name="نمایندگی آفتاب", postal_address="تهران، خیابان ولیعصر، پلاک ۱۲")
    with django_capture_on_commit_callbacks(execute=True):
        request_id = _client_for(customer).post("/api/v1/requests/", request_payload(), format="json").json()["id"]
    response_id = (
        _client_for(agent.user)
        .post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json")
        .json()["id"]
    )
    client.force_login(customer)
    before = client.get(f"/requests/{request_id}/").content.decode()
    assert agent.agency_name not in before and agent.postal_address not in before
    _client_for(customer).post(f"/api/v1/requests/{request_id}/responses/{response_id}/accept/")
    after = client.get(f"/requests/{request_id}/").content.decode()
    assert agent.agency_name in after
    assert agent.postal_address in after
    assert agent.agency_code in after or _persian(agent.agency_code) in after


def _persian(text: str) -> str:
    from core.text import to_persian_digits

    return to_persian_digits(text)
