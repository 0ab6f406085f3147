"""Query counts on lists, the limited pre-verification view, and staff-edited reference data."""

import pytest

from agents.models import Invoice, Plan, TermsVersion
from agents.selectors import terms_current
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_lead_counts_are_visible_after_terms_as_numbers_only():
    agent = AgentFactory(terms_accepted=True)

    data = client_for(agent.user).get("/api/v1/agent/lead-counts/").json()

    assert {row["line"] for row in data} >= {"third_party", "body", "fire", "travel", "electronics", "other"}
    assert all(set(row) == {"line", "name", "count"} for row in data)


def test_lead_counts_are_hidden_before_terms():
    agent = AgentFactory()

    assert client_for(agent.user).get("/api/v1/agent/lead-counts/").status_code == 403


def test_invoice_list_query_count_does_not_grow(agent_client, verified_agent, django_assert_max_num_queries):
    plan = Plan.objects.get(code="monthly")
    for n in range(15):
        Invoice.objects.create(number=f"T{n}", agent=verified_agent, plan=plan, amount=plan.price, gateway="sandbox")

    with django_assert_max_num_queries(6):
        response = agent_client.get("/api/v1/agent/invoices/")

    assert len(response.json()) == 15


def test_profile_query_count(agent_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert agent_client.get("/api/v1/agent/profile/").status_code == 200


def test_admin_queue_query_count(client, django_assert_max_num_queries):
    client.force_login(StaffFactory())
    for _ in range(10):
        AgentFactory(documents_sent=True)

    with django_assert_max_num_queries(20):
        response = client.get("/admin/agents/agent/")

    assert response.context["cl"].result_count == 10


def test_staff_publish_a_new_terms_version_in_the_admin(client):
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post("/admin/agents/termsversion/add/", {"title": "مقررات ۱۴۰۵", "text": "متن تازه"})

    assert response.status_code == 302
    assert terms_current().version == 2
    assert TermsVersion.objects.get(version=2).created_by == staff


def test_accepted_terms_cannot_be_edited_in_the_admin(client):
    AgentFactory(terms_accepted=True)  # accepts version 1
    client.force_login(StaffFactory())

    client.post("/admin/agents/termsversion/1/change/", {"title": "دستکاری", "text": "دستکاری"})

    assert TermsVersion.objects.get(version=1).text != "دستکاری"


def test_staff_edit_plan_prices(client):
    client.force_login(StaffFactory())
    plan = Plan.objects.get(code="monthly")

    response = client.post(
        f"/admin/agents/plan/{plan.pk}/change/",
        {"code": "monthly", "title": plan.title, "days": 30, "price": 6_000_000, "is_active": "on", "order": 1},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.price == 6_000_000


def test_has_active_gateway_permission_follows_the_selector(rf, verified_agent):

    from django.utils import timezone

    from agents.models import Subscription
    from agents.permissions import HasActiveGateway

    request = rf.get("/")
    request.user = verified_agent.user
    assert HasActiveGateway().has_permission(request, None) is False

    today = timezone.localdate()
    Subscription.objects.create(agent=verified_agent, kind="trial", starts_on=today, ends_on=today)

    assert HasActiveGateway().has_permission(request, None) is True
    assert request.agent == verified_agent
