"""Issue 13 point 8: answering a lead and rating an agent write their audit row and their
notice inside the change's transaction, and the SMS only after its commit.

Each failure test breaks one write after the change itself and checks that nothing of the
decision remains: no answer (or rating), no audit row, no notice, no SMS queued.
"""

from unittest import mock

import pytest
from django.db import DatabaseError

from accounts.models import Notification
from core.models import AuditLog
from insurance_requests import services
from insurance_requests.models import AgentRating, LeadResponse
from tests.insurance_requests.factories import active_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return active_agent("iran")


@pytest.fixture
def other_agent():
    return active_agent("iran")


@pytest.fixture
def lead(post_request, agent, other_agent):
    return post_request(insurers=["iran"]).json()["id"]


@pytest.fixture
def cooperation(lead, agent, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = services.lead_respond(agent=agent, request_id=lead, message="آماده‌ام")
        services.insurance_request_accept(customer=customer, request_id=lead, response_id=response.pk)
    return lead


def _failing(*args, **kwargs):
    raise DatabaseError("the write failed")


def test_an_answer_writes_its_audit_row_and_notice_and_texts_after_commit(
    lead, agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 8: one answer, one audit row, one notice, one SMS after the commit."""
    Notification.objects.all().delete()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = services.lead_respond(agent=agent, request_id=lead, message="آماده‌ام")
    audit = AuditLog.objects.get(action="lead.responded")
    assert (audit.actor_id, audit.target_id, audit.data["response"]) == (agent.user_id, str(lead), response.pk)
    assert Notification.objects.filter(user=customer).count() == 1
    assert len(callbacks) == 1 and [sms.to for sms in sms_outbox] == [customer.mobile]


@pytest.mark.parametrize(
    "broken",
    ["insurance_requests.services.audit_record", "accounts.models.Notification.objects.create"],
)
def test_an_answer_whose_audit_or_notice_fails_leaves_nothing_behind(
    broken, lead, agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 8: a failed audit row or notice undoes the answer; no SMS is queued."""
    Notification.objects.all().delete()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, mock.patch(broken, _failing):
        with pytest.raises(DatabaseError):
            services.lead_respond(agent=agent, request_id=lead, message="آماده‌ام")
    assert not LeadResponse.objects.exists()
    assert not AuditLog.objects.filter(action="lead.responded").exists()
    assert not Notification.objects.filter(user=customer).exists()
    assert callbacks == [] and sms_outbox == []


def test_after_a_failed_answer_the_agent_can_answer_again(lead, agent, django_capture_on_commit_callbacks):
    """issue 13 point 8: a half-done answer would hold the insurer's slot; none remains."""
    with mock.patch("insurance_requests.services.audit_record", _failing), pytest.raises(DatabaseError):
        services.lead_respond(agent=agent, request_id=lead, message="آماده‌ام")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lead_respond(agent=agent, request_id=lead, message="آماده‌ام").pk


def test_a_lost_race_writes_no_audit_row_and_no_notice(
    lead, agent, other_agent, customer, django_capture_on_commit_callbacks
):
    """issue 13 point 8: the second agent of an insurer gets a 409 and leaves no trace."""
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_respond(agent=agent, request_id=lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(services.ConflictError):
        services.lead_respond(agent=other_agent, request_id=lead)
    assert AuditLog.objects.filter(action="lead.responded").count() == 1
    assert Notification.objects.filter(user=customer).count() == 1
    assert callbacks == []


def test_a_rating_writes_its_audit_row_and_the_agents_notice(cooperation, agent, customer):
    """issue 13 point 8: one rating, one audit row, one notice to the rated agent."""
    before = Notification.objects.filter(user=agent.user).count()
    services.agent_rate(customer=customer, request_id=cooperation, score=4, comment="خوب")
    audit = AuditLog.objects.get(action="agent.rated")
    assert (audit.actor_id, audit.data) == (customer.pk, {"agent": agent.pk, "score": 4})
    assert Notification.objects.filter(user=agent.user).count() == before + 1


@pytest.mark.parametrize(
    "broken",
    ["insurance_requests.services.audit_record", "accounts.models.Notification.objects.create"],
)
def test_a_rating_whose_audit_or_notice_fails_leaves_nothing_behind(broken, cooperation, agent, customer):
    """issue 13 point 8: a failed audit row or notice undoes the rating, so the customer can rate again."""
    before = Notification.objects.filter(user=agent.user).count()
    with mock.patch(broken, _failing), pytest.raises(DatabaseError):
        services.agent_rate(customer=customer, request_id=cooperation, score=2)
    assert not AgentRating.objects.exists()
    assert not AuditLog.objects.filter(action="agent.rated").exists()
    assert Notification.objects.filter(user=agent.user).count() == before
    assert services.agent_rate(customer=customer, request_id=cooperation, score=2).score == 2
