"""Simultaneous requests where a read decides a write: exactly one wins (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from agents.models import Agent, Invoice, SandboxPayment, Subscription, SubscriptionNotice
from agents.services import (
    agent_register,
    payment_complete,
    subscription_expiry_notify,
    subscription_purchase_start,
    subscription_start_trial,
)
from core.exceptions import ApplicationError
from insurers.models import Insurer, Province
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def attempt(function):
        try:
            barrier.wait()
            function()
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes, key=str)


def test_four_trial_requests_at_once_grant_one():
    agent = AgentFactory(verified=True)

    outcomes = run_at_once([lambda: subscription_start_trial(agent=agent)] * 4)

    assert outcomes == [409, 409, 409, "ok"]
    assert Subscription.objects.count() == 1


def test_same_agency_code_registered_twice_at_once_keeps_one():
    insurer, province = Insurer.objects.get(code="iran"), Province.objects.get(code="tehran")
    users = [UserFactory(), UserFactory()]

    def register(user):
        return lambda: agent_register(
            user=user,
            insurer=insurer,
            agency_code="5555",
            agency_name="همزمان",
            province=province,
            city="تهران",
            postal_address="نشانی",
            postal_code="1234567890",
            office_phone="02188776655",
        )

    outcomes = run_at_once([register(user) for user in users])

    assert outcomes == [409, "ok"]
    assert Agent.objects.filter(agency_code="5555").count() == 1


def test_concurrent_callbacks_extend_once():
    agent = AgentFactory(verified=True)
    invoice, _url = subscription_purchase_start(
        agent=agent, plan=agent.chosen_plan, callback_url="http://testserver/agent/payments/callback/"
    )
    SandboxPayment.objects.filter(authority=invoice.authority).update(outcome="paid", ref_id="123")

    outcomes = run_at_once([lambda: payment_complete(authority=invoice.authority)] * 4)

    assert outcomes == ["ok"] * 4
    assert Invoice.objects.get().status == Invoice.Status.PAID
    assert Subscription.objects.filter(kind="paid").count() == 1


def test_two_reminder_runs_at_once_claim_each_notice_once(sms_outbox):
    import datetime as dt

    from django.utils import timezone

    agent = AgentFactory(verified=True)
    today = timezone.localdate()
    Subscription.objects.create(agent=agent, kind="trial", starts_on=today, ends_on=today + dt.timedelta(days=2))

    run_at_once([subscription_expiry_notify] * 3)

    assert SubscriptionNotice.objects.count() == 1
