"""The wrong-owner matrix over every policy and claim endpoint, API and pages.

Callers: the owner (customer), another customer, the issuing agent, another agent, anonymous.
Anyone who may not see the object gets 404 (never a 403 that would confirm it exists);
anonymous gets 401 from the API and a login redirect from the pages.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from claims import services as claim_services
from claims.models import ClaimDocument
from core.uploads import private_upload_clean
from policies import services as policy_services
from tests.agents.images import png_bytes
from tests.factories import UserFactory
from tests.policies.helpers import client_for, days, make_agent, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60))
    upload = private_upload_clean(SimpleUploadedFile("d.png", png_bytes(), content_type="image/png"))
    policy_services.policy_document_attach(user=agent.user, policy=policy, document=upload)
    claim = claim_services.claim_file(
        user=customer,
        policy=policy,
        occurred_on=today() - days(2),
        description="آتش",
        estimated_loss=1000,
        cause="fire",
    )
    upload = private_upload_clean(SimpleUploadedFile("d.png", png_bytes(), content_type="image/png"))
    document = claim_services.claim_document_add(user=customer, claim=claim, kind="policy", upload=upload)
    inspection = policy_services.inspection_record(
        user=agent.user,
        policy=policy,
        kind="initial",
        inspected_on=today(),
        inspector="x",
        report="y",
        recommendations=["کپسول"],
    )
    return {
        "policy": policy,
        "claim": claim,
        "document": document,
        "recommendation": inspection.recommendations.get(),
        "owner": customer,
        "agent": agent.user,
        "stranger": UserFactory(),
        "other_agent": make_agent().user,
    }


def api_endpoints(w):
    p, c, d, r = w["policy"].pk, w["claim"].pk, w["document"].pk, w["recommendation"].pk
    return [
        ("get", f"/api/v1/policies/{p}/", None),
        ("post", f"/api/v1/policies/{p}/payments/", {"paid_on": today().isoformat()}),
        ("post", f"/api/v1/policies/{p}/issue/", None),
        ("get", f"/api/v1/policies/{p}/document/", None),
        ("get", f"/api/v1/policies/{p}/endorsements/", None),
        ("post", f"/api/v1/policies/{p}/endorsements/", {"kind": "no_financial_effect", "changes": {"address": "x"}}),
        ("post", f"/api/v1/policies/{p}/endorsements/preview/", {"changes": {"address": "x"}}),
        ("post", f"/api/v1/policies/{p}/cancel/preview/", {"by": "insured", "on": today().isoformat()}),
        ("post", f"/api/v1/policies/{p}/cancel/", {"by": "insured", "on": today().isoformat()}),
        (
            "post",
            f"/api/v1/policies/{p}/inspections/",
            {"kind": "initial", "inspected_on": today().isoformat(), "inspector": "x", "report": "y"},
        ),
        ("post", f"/api/v1/policies/{p}/recommendations/{r}/comply/", None),
        ("post", f"/api/v1/policies/{p}/renew/", {"ends_on": (today() + days(700)).isoformat(), "premium": 1000}),
        ("get", f"/api/v1/policies/{p}/bank-letter/", None),
        ("post", f"/api/v1/policies/{p}/bank-letter/", None),
        ("post", f"/api/v1/policies/{p}/authorisation/", {"reference": "1"}),
        ("post", f"/api/v1/policies/{p}/capital-reviews/", {"level": "monthly"}),
        ("get", f"/api/v1/policies/{p}/certificate/", None),
        ("get", f"/api/v1/claims/{c}/", None),
        ("post", f"/api/v1/claims/{c}/documents/", {"kind": "policy"}),
        ("get", f"/api/v1/claims/{c}/documents/{d}/", None),
        ("post", f"/api/v1/claims/{c}/undertaking/", None),
    ]


def page_endpoints(w):
    p, c, d, r = w["policy"].pk, w["claim"].pk, w["document"].pk, w["recommendation"].pk
    return [
        ("get", f"/policies/{p}/"),
        ("get", f"/policies/{p}/document/"),
        ("get", f"/policies/{p}/payments/"),
        ("get", f"/policies/{p}/document/upload/"),
        ("get", f"/policies/{p}/inspections/new/"),
        ("post", f"/policies/{p}/recommendations/{r}/comply/"),
        ("post", f"/policies/{p}/issue/"),
        ("get", f"/policies/{p}/endorsements/new/"),
        ("get", f"/policies/{p}/cancel/"),
        ("get", f"/policies/{p}/renew/"),
        ("get", f"/policies/{p}/bank-letter/"),
        ("get", f"/policies/{p}/bank-letter/upload/"),
        ("get", f"/policies/{p}/authorise/"),
        ("get", f"/policies/{p}/capital-review/"),
        ("get", f"/policies/{p}/certificate/"),
        ("get", f"/claims/{c}/"),
        ("post", f"/claims/{c}/documents/"),
        ("get", f"/claims/{c}/documents/{d}/"),
        ("post", f"/claims/{c}/undertaking/"),
    ]


@pytest.mark.parametrize("who", ["stranger", "other_agent"])
def test_api_strangers_get_404_everywhere(world, who):
    client = client_for(world[who])
    for method, url, data in api_endpoints(world):
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404, (who, method, url, response.status_code)


def test_api_anonymous_gets_401_everywhere(world):
    client = APIClient()
    for method, url, data in api_endpoints(world):
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 401, (method, url, response.status_code)


@pytest.mark.parametrize("who", ["stranger", "other_agent"])
def test_pages_strangers_get_404_everywhere(world, who):
    client = Client()
    client.force_login(world[who])
    for method, url in page_endpoints(world):
        assert getattr(client, method)(url).status_code == 404, (who, method, url)


def test_pages_anonymous_is_sent_to_login(world):
    client = Client()
    for method, url in page_endpoints(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], (method, url)


def test_owner_and_issuing_agent_can_read_the_policy_and_the_claim(world):
    p, c, d = world["policy"].pk, world["claim"].pk, world["document"].pk
    for who in ("owner", "agent"):
        client = client_for(world[who])
        assert client.get(f"/api/v1/policies/{p}/").status_code == 200, who
        assert client.get(f"/api/v1/policies/{p}/document/").status_code == 200, who
        assert client.get(f"/api/v1/claims/{c}/").status_code == 200, who
        assert client.get(f"/api/v1/claims/{c}/documents/{d}/").status_code == 200, who


def test_the_owner_cannot_do_the_agents_work(world):
    p, r = world["policy"].pk, world["recommendation"].pk
    client = client_for(world["owner"])
    assert client.post(f"/api/v1/policies/{p}/payments/", {"paid_on": today().isoformat()}).status_code == 403
    assert client.post(f"/api/v1/policies/{p}/recommendations/{r}/comply/").status_code == 403
    response = client.post(
        f"/api/v1/policies/{p}/endorsements/",
        {"kind": "no_financial_effect", "changes": {"address": "x"}},
        format="json",
    )
    assert response.status_code == 403
    assert client.post(f"/api/v1/policies/{p}/cancel/", {"by": "insurer", "on": today().isoformat()}).status_code == 400


def test_the_issuing_agent_cannot_upload_claim_documents_or_accept_the_undertaking(world):
    c = world["claim"].pk
    client = client_for(world["agent"])
    upload = SimpleUploadedFile("d.png", png_bytes(), content_type="image/png")
    response = client.post(f"/api/v1/claims/{c}/documents/", {"kind": "policy", "file": upload}, format="multipart")
    assert response.status_code == 403
    assert ClaimDocument.objects.count() == 1


def test_lists_show_only_what_the_caller_may_see(world):
    assert client_for(world["stranger"]).get("/api/v1/policies/").data["count"] == 0
    assert client_for(world["stranger"]).get("/api/v1/claims/").data["count"] == 0
    assert client_for(world["other_agent"]).get("/api/v1/claims/").data["count"] == 0
    assert client_for(world["owner"]).get("/api/v1/claims/").data["count"] == 1
    assert client_for(world["agent"]).get("/api/v1/claims/").data["count"] == 1


def test_a_customer_cannot_file_a_claim_on_someone_elses_policy(world):
    response = client_for(world["stranger"]).post(
        "/api/v1/claims/",
        {"policy": world["policy"].pk, "occurred_on": today().isoformat(), "description": "x", "estimated_loss": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "policy" in response.data
