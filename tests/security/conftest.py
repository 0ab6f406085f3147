"""The world the security checks walk: one of each role, with rows their pages can show."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from accounts.services.support import ticket_create
from claims.services import claim_file
from tests.factories import StaffFactory, UserFactory
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload, request_payload
from tests.policies.helpers import record

# The rate the rate-limit tests lower a scope to.
LIMIT = 3


@pytest.fixture
def rates(monkeypatch):
    """Lower one scope's rate. The test settings raise every rate so that other tests never
    trip them; DRF reads its table once, at import, so override_settings would not reach it."""

    def lower(scope, rate=f"{LIMIT}/min"):
        table = dict(SimpleRateThrottle.THROTTLE_RATES)
        assert scope in table, f"no rate for the scope {scope!r} in DEFAULT_THROTTLE_RATES"
        table[scope] = rate
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", table)

    return lower


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    customer = UserFactory(first_name="سارا", last_name="محمدی")
    agent = active_agent()
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        posted = client_for(customer).post("/api/v1/requests/", request_payload(), format="json")
    assert posted.status_code == 201, posted.content
    request_id = posted.json()["id"]
    responded = client_for(agent.user).post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(message="آماده‌ام"), format="json"
    )
    assert responded.status_code == 201, responded.content
    ticket = ticket_create(user=customer, category="support", subject="سلام", body="پرسشی دارم")
    policy = record(agent, customer, issued_on=timezone.localdate() - dt.timedelta(days=10))
    claim = claim_file(
        user=customer,
        policy=policy,
        occurred_on=timezone.localdate() - dt.timedelta(days=2),
        description="آتش‌سوزی آشپزخانه",
        estimated_loss=1_000_000,
    )
    return {
        "customer": customer,
        "agent": agent,
        "staff": staff,
        "request_id": request_id,
        "response_id": responded.json()["id"],
        "ticket_id": ticket.pk,
        "policy_id": policy.pk,
        "claim_id": claim.pk,
    }


def browser_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
