"""The payment verify in three steps (issue 13 point 7): claim the invoice with one
conditional UPDATE, ask the gateway with no transaction open and no lock held, then settle
under the invoice's row lock. A caller that loses the claim gets the invoice as it stands
at once, instead of waiting on a row lock for as long as the gateway thinks; expiry leaves
an invoice being verified alone; the callback, open to anyone, is rate limited per address.
"""

import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from agents.models import Invoice, SandboxPayment, Subscription
from agents.payments.sandbox import SandboxGateway
from agents.selectors import plan_by_code
from agents.services import invoice_payment_recheck, payment_complete, payments_reconcile, subscription_purchase_start
from core.models import AuditLog
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.concurrency import run_at_once

CALLBACK = "/agent/payments/callback/"
CLAIM_LIFETIME = dt.timedelta(seconds=60)


def paid_at_the_bank(agent, **age) -> Invoice:
    """A sandbox purchase whose payer chose "pay" on the bank page."""
    invoice, _url = subscription_purchase_start(
        agent=agent, plan=plan_by_code("monthly"), callback_url="http://testserver/agent/payments/callback/"
    )
    SandboxPayment.objects.filter(authority=invoice.authority).update(outcome="paid", ref_id="4242")
    if age:
        Invoice.objects.filter(pk=invoice.pk).update(created_at=timezone.now() - dt.timedelta(**age))
    invoice.refresh_from_db()
    return invoice


def claimed(invoice, *, ago=dt.timedelta(0)) -> Invoice:
    """As if another worker had claimed the invoice `ago` and were still asking the gateway."""
    Invoice.objects.filter(pk=invoice.pk).update(verifying_since=timezone.now() - ago)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def gateway_calls(monkeypatch):
    """Each sandbox verify, recorded as whether a transaction was open when it was asked."""
    calls = []
    real_verify = SandboxGateway.verify

    def verify(self, **kwargs):
        calls.append(connection.in_atomic_block)
        return real_verify(self, **kwargs)

    monkeypatch.setattr(SandboxGateway, "verify", verify)
    return calls


def paid_subscriptions(agent):
    return Subscription.objects.filter(agent=agent, kind=Subscription.Kind.PAID)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_gateway_is_asked_with_no_transaction_open_and_the_claim_is_cleared_on_settling(gateway_calls):
    """Issue 13 point 7: before, the verify ran inside the transaction holding the invoice's row lock."""
    agent = AgentFactory(verified=True)
    invoice = paid_at_the_bank(agent)

    settled = payment_complete(authority=invoice.authority)

    assert gateway_calls == [False]
    invoice.refresh_from_db()
    assert (settled.status, invoice.status, invoice.verifying_since) == (Invoice.Status.PAID, Invoice.Status.PAID, None)
    assert paid_subscriptions(agent).count() == 1


@pytest.mark.django_db
def test_a_verify_under_way_turns_other_callers_away_at_once_without_asking_the_gateway(gateway_calls):
    """Issue 13 point 7: the callback, "check again" (web and API) and the reconcile job answer
    with the invoice as it stands while another caller holds a fresh claim."""
    agent = AgentFactory(verified=True)
    invoice = claimed(paid_at_the_bank(agent, minutes=30))

    assert payment_complete(authority=invoice.authority).status == Invoice.Status.PENDING
    assert invoice_payment_recheck(agent=agent, invoice_id=invoice.pk).status == Invoice.Status.PENDING
    api = client_for(agent.user).post(f"/api/v1/agent/invoices/{invoice.pk}/verify/")
    assert (api.status_code, api.json()["status"]) == (200, "pending")
    assert payments_reconcile()["still_pending"] == 1

    assert gateway_calls == []
    assert not paid_subscriptions(agent).exists()


@pytest.mark.django_db
def test_the_callback_page_says_the_payment_is_being_checked_while_another_verify_runs():
    """Issue 13 point 7: a second tab or a repeated callback gets a Persian "being checked",
    not a failure message."""
    agent = AgentFactory(verified=True)
    invoice = claimed(paid_at_the_bank(agent))
    browser = Client()
    browser.force_login(agent.user)

    page = browser.get(CALLBACK, {"Authority": invoice.authority, "Status": "OK"}, follow=True)

    shown = " ".join(str(message) for message in page.context["messages"])
    assert "در حال بررسی" in shown, shown
    assert "ناموفق" not in shown
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_over_after_its_lifetime(gateway_calls):
    """Issue 13 point 7: the claim is not a lock that outlives its holder."""
    agent = AgentFactory(verified=True)
    invoice = claimed(paid_at_the_bank(agent), ago=CLAIM_LIFETIME - dt.timedelta(seconds=5))
    assert payment_complete(authority=invoice.authority).status == Invoice.Status.PENDING

    claimed(invoice, ago=CLAIM_LIFETIME + dt.timedelta(seconds=1))
    settled = payment_complete(authority=invoice.authority)

    assert (settled.status, settled.ref_id) == (Invoice.Status.PAID, "4242")
    assert len(gateway_calls) == 1
    assert paid_subscriptions(agent).count() == 1


@pytest.mark.django_db
def test_expiry_leaves_an_invoice_being_verified_alone_until_its_claim_goes_stale():
    """Issue 13 point 7: with no lock held through the gateway call, expiry re-checks the claim:
    a payment the gateway is confirming right now is not expired under it."""
    agent = AgentFactory(verified=True)
    invoice = claimed(paid_at_the_bank(agent, hours=25))

    counts = payments_reconcile()

    invoice.refresh_from_db()
    assert (counts["expired"], invoice.status) == (0, Invoice.Status.PENDING)
    assert not AuditLog.objects.filter(action="invoice.expire").exists()

    claimed(invoice, ago=CLAIM_LIFETIME + dt.timedelta(seconds=1))
    counts = payments_reconcile()

    invoice.refresh_from_db()
    assert (counts["expired"], invoice.status, invoice.verifying_since) == (1, Invoice.Status.FAILED, None)


@pytest.mark.django_db
def test_the_callback_is_rate_limited_per_client_address(monkeypatch):
    """Issue 13 point 7: the gateway's return address is open to anyone and each call may ask
    the gateway; past the `payment_callback` rate a caller gets 429 with Retry-After, while
    another address still gets through."""
    rates = dict(SimpleRateThrottle.THROTTLE_RATES)
    assert "payment_callback" in rates
    rates["payment_callback"] = "3/min"
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    stranger = Client()
    query = {"Authority": "A-unknown", "Status": "OK"}

    answers = [stranger.get(CALLBACK, query, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    limited = stranger.get(CALLBACK, query, REMOTE_ADDR="203.0.113.7")
    other = Client().get(CALLBACK, query, REMOTE_ADDR="203.0.113.8")

    assert answers == [302, 302, 302]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert other.status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_twenty_simultaneous_callbacks_ask_the_gateway_once_and_nobody_waits_for_it(monkeypatch):
    """Issue 13 point 7, PostgreSQL: 20 callbacks for one paid invoice at once. The gateway is
    asked once, and it does not answer until the other 19 callers have had their answer
    (the invoice, still pending): none of them waits on the invoice while the gateway
    thinks. Then one payment, one extension, one audit row.

    Before the claim, the verify ran under the invoice's row lock: the 19 queued behind it,
    the gateway waited its 10 s out for them in vain, and all 20 answered "paid" in the end.
    """
    agent = AgentFactory(verified=True)
    invoice = paid_at_the_bank(agent)
    real_verify = SandboxGateway.verify
    callers = 20
    answered = []
    answered_lock = threading.Lock()
    others_answered = threading.Event()
    gateway_calls = []

    def slow_verify(self, **kwargs):
        gateway_calls.append(connection.in_atomic_block)
        others_answered.wait(timeout=10)
        return real_verify(self, **kwargs)

    monkeypatch.setattr(SandboxGateway, "verify", slow_verify)

    def callback():
        try:
            return payment_complete(authority=invoice.authority)
        finally:
            with answered_lock:
                answered.append(True)
                if len(answered) == callers - 1:
                    others_answered.set()

    results = run_at_once([callback] * callers)

    assert not [result for result in results if isinstance(result, Exception)], results
    statuses = sorted(result.status for result in results)
    assert statuses == [Invoice.Status.PAID] + [Invoice.Status.PENDING] * (callers - 1)
    assert gateway_calls == [False]
    invoice.refresh_from_db()
    assert (invoice.status, invoice.verifying_since) == (Invoice.Status.PAID, None)
    assert paid_subscriptions(agent).count() == 1
    assert AuditLog.objects.filter(action="invoice.paid", target_id=str(invoice.pk)).count() == 1
