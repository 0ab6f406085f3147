"""Every request/lead endpoint × every kind of caller: who may see what (API.md: 404, never a revealing 403)."""

import pytest
from rest_framework.test import APIClient

from tests.agents.factories import AgentFactory
from tests.factories import UserFactory
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db

ROLES = ["owner", "other_customer", "chosen_agent", "other_insurer_agent", "unverified_agent", "anonymous"]

# (method, path template, {role: expected status})
REQUEST_ENDPOINTS = [
    ("get", "/api/v1/requests/{rid}/", 200),
    ("post", "/api/v1/requests/{rid}/responses/{resp}/accept/", 200),
    ("post", "/api/v1/requests/{rid}/end-cooperation/", 409),  # owner: nothing accepted yet
    ("post", "/api/v1/requests/{rid}/repost/", 409),  # owner: still open
    ("post", "/api/v1/requests/{rid}/cancel/", 200),
    ("post", "/api/v1/requests/{rid}/rating/", 409),  # owner: no cooperation yet
]
LEAD_ENDPOINTS = [
    ("get", "/api/v1/agent/leads/{rid}/", 200),
    ("post", "/api/v1/agent/leads/{rid}/respond/", 201),
]


@pytest.fixture
def world(post_request, customer):
    chosen = active_agent("iran")
    responder = active_agent("asia")
    other_insurer = active_agent("dana")
    unverified = AgentFactory(documents_sent=True)
    rid = post_request(insurers=["iran", "asia"]).json()["id"]
    resp = (
        client_for(responder.user)
        .post(f"/api/v1/agent/leads/{rid}/respond/", offer_payload(), format="json")
        .json()["id"]
    )
    users = {
        "owner": customer,
        "other_customer": UserFactory(),
        "chosen_agent": chosen.user,
        "other_insurer_agent": other_insurer.user,
        "unverified_agent": unverified.user,
    }
    clients = {role: client_for(user) for role, user in users.items()} | {"anonymous": APIClient()}
    return {"rid": rid, "resp": resp, "clients": clients, "users": users}


def _call(client, method, path):
    body = offer_payload(reason="x", score=5, message="سلام") if method == "post" else None
    return getattr(client, method)(path, body, format="json") if body else client.get(path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "owner_status"), REQUEST_ENDPOINTS)
def test_request_endpoints(world, role, method, template, owner_status):
    path = template.format(**world)
    response = _call(world["clients"][role], method, path)
    expected = {"owner": owner_status, "anonymous": 401}.get(role, 404)
    assert response.status_code == expected, (role, path, response.content[:200])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "agent_status"), LEAD_ENDPOINTS)
def test_lead_endpoints(world, role, method, template, agent_status):
    path = template.format(**world)
    response = _call(world["clients"][role], method, path)
    expected = {
        "chosen_agent": agent_status,
        "other_insurer_agent": 404,  # an active agent, but the lead was never delivered to them
        "anonymous": 401,
    }.get(role, 403)  # no open gateway: customers and the unverified agent
    assert response.status_code == expected, (role, path, response.content[:200])


@pytest.mark.parametrize("role", ROLES)
def test_lead_inbox(world, role):
    response = world["clients"][role].get("/api/v1/agent/leads/")
    expected = {"chosen_agent": 200, "other_insurer_agent": 200, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    if role == "other_insurer_agent":
        assert response.json()["count"] == 0


@pytest.mark.parametrize("role", ["other_customer", "chosen_agent", "unverified_agent"])
def test_html_request_page_is_a_404_for_others(world, role, client):
    client.force_login(world["users"][role])
    assert client.get(f"/requests/{world['rid']}/").status_code == 404
