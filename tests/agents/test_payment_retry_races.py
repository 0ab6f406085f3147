"""The payment retry paths running at the same moment (PostgreSQL only: SQLite ignores
select_for_update). Two reconcile runs, the agent's "check again" and a late callback on
one payment give one paid invoice and one extension; expiry never overwrites a payment
that a verify is completing."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from agents.models import Invoice, SandboxPayment, Subscription
from agents.payments.sandbox import SandboxGateway
from agents.selectors import plan_by_code
from agents.services import (
    invoice_payment_recheck,
    payment_complete,
    payments_reconcile,
    subscription_purchase_start,
)
from core.models import AuditLog
from tests.agents.factories import AgentFactory
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def paid_at_the_bank(agent, **age):
    invoice, _url = subscription_purchase_start(
        agent=agent, plan=plan_by_code("monthly"), callback_url="http://testserver/agent/payments/callback/"
    )
    SandboxPayment.objects.filter(authority=invoice.authority).update(outcome="paid", ref_id="4242")
    Invoice.objects.filter(pk=invoice.pk).update(created_at=timezone.now() - dt.timedelta(**age))
    return invoice


def test_reconcile_runs_check_again_and_callback_at_once_pay_once():
    agent = AgentFactory(verified=True)
    invoice = paid_at_the_bank(agent, minutes=30)

    results = run_at_once(
        [
            payments_reconcile,
            payments_reconcile,
            lambda: invoice_payment_recheck(agent=agent, invoice_id=invoice.pk),
            lambda: payment_complete(authority=invoice.authority),
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)], results
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert Subscription.objects.filter(agent=agent, kind="paid").count() == 1
    assert AuditLog.objects.filter(action="invoice.paid", target_id=str(invoice.pk)).count() == 1


def test_expiry_waits_for_a_verify_in_progress_and_does_not_overwrite_the_payment(monkeypatch):
    agent = AgentFactory(verified=True)
    invoice = paid_at_the_bank(agent, hours=25)
    slow_verify = SandboxGateway.verify

    def verify(self, **kwargs):
        time.sleep(0.5)  # the bank thinking, while payment_complete holds the invoice row
        return slow_verify(self, **kwargs)

    monkeypatch.setattr(SandboxGateway, "verify", verify)

    def reconcile_a_moment_later():
        time.sleep(0.1)
        return payments_reconcile()

    results = run_at_once([lambda: payment_complete(authority=invoice.authority), reconcile_a_moment_later])

    assert not [result for result in results if isinstance(result, Exception)], results
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert results[1]["expired"] == 0
    assert not AuditLog.objects.filter(action="invoice.expire").exists()
    assert Subscription.objects.filter(agent=agent, kind="paid").count() == 1
