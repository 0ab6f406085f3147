"""Checking a payment again after the gateway failed mid-verify: the dashboard's button,
POST /api/v1/agent/invoices/<id>/verify/, and the reconcile job. Zarinpal is faked at its
real URLs (`responses`); the sandbox gateway keeps its own ledger. Whatever the order,
one payment gives one paid invoice and one extension."""

import datetime as dt
import importlib

import pytest
import requests
import responses
from django.test import Client
from django.utils import timezone
from responses import matchers

from agents.models import Invoice, SandboxPayment, Subscription
from agents.selectors import plan_by_code
from agents.services import invoice_payment_recheck, payments_reconcile, subscription_purchase_start
from agents.tasks import reconcile_pending_payments
from core.models import AuditLog
from core.schedule import SCHEDULE
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory

pytestmark = pytest.mark.django_db

REQUEST_URL = "https://payment.zarinpal.com/pg/v4/payment/request.json"
VERIFY_URL = "https://payment.zarinpal.com/pg/v4/payment/verify.json"
MERCHANT = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
AUTHORITY = "A0000000000000000000000000000wwOGYpd"
CALLBACK = f"/agent/payments/callback/?Authority={AUTHORITY}&Status=OK"
UNAVAILABLE = "پاسخ درگاه پرداخت دریافت نشد"


def verify_url(invoice):
    return f"/api/v1/agent/invoices/{invoice.pk}/verify/"


def recheck_url(invoice):
    return f"/agent/payments/{invoice.pk}/verify/"


def shown(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


def paid_subscriptions(agent):
    return Subscription.objects.filter(agent=agent, kind=Subscription.Kind.PAID)


def verify_calls():
    return [call for call in responses.calls if call.request.url == VERIFY_URL]


# --- Zarinpal, failing mid-verify and recovering ----------------------------------------------------


@pytest.fixture
def zarinpal(settings):
    settings.PAYMENT_GATEWAY = "zarinpal"
    settings.ZARINPAL_MERCHANT_ID = MERCHANT


@pytest.fixture
def agent(zarinpal):
    return AgentFactory(verified=True)


@pytest.fixture
def browser(agent):
    client = Client()
    client.force_login(agent.user)
    return client


def gateway_down(authority=AUTHORITY):
    responses.post(
        VERIFY_URL,
        body=requests.exceptions.ReadTimeout("read timed out"),
        match=[matchers.json_params_matcher({"authority": authority}, strict_match=False)],
    )


def gateway_pays(authority=AUTHORITY, ref_id=777):
    responses.post(
        VERIFY_URL,
        json={"data": {"code": 100, "message": "Verified", "ref_id": ref_id, "card_pan": "5022****5995"}, "errors": []},
        match=[matchers.json_params_matcher({"authority": authority}, strict_match=False)],
    )


def gateway_recovers(ref_id=777):
    responses.replace(
        responses.POST,
        VERIFY_URL,
        json={"data": {"code": 100, "message": "Verified", "ref_id": ref_id, "card_pan": "5022****5995"}, "errors": []},
    )


def purchase_and_fail_verify(agent, browser) -> Invoice:
    """Buy a plan, pay, come back to the callback while Zarinpal's verify times out."""
    responses.post(
        REQUEST_URL,
        json={"data": {"code": 100, "message": "Success", "authority": AUTHORITY, "fee": 0}, "errors": []},
    )
    started = client_for(agent.user).post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    assert started.status_code == 201, started.content
    gateway_down()
    page = browser.get(CALLBACK, follow=True)
    assert UNAVAILABLE in shown(page)
    return Invoice.objects.get(agent=agent)


@responses.activate
def test_verify_failing_mid_way_leaves_the_invoice_pending_and_extends_nothing(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)

    assert invoice.status == Invoice.Status.PENDING
    assert invoice.awaits_confirmation
    assert not paid_subscriptions(agent).exists()


@responses.activate
def test_dashboard_offers_check_again_for_the_pending_invoice_only(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    never_sent = Invoice.objects.create(
        number="X1", agent=agent, plan=invoice.plan, amount=invoice.amount, gateway="zarinpal"
    )

    page = browser.get("/agent/").content.decode()

    assert f'data-recheck="{invoice.pk}"' in page
    assert f'action="{recheck_url(invoice)}"' in page
    assert "بررسی دوباره پرداخت" in page
    assert 'id="awaiting-payments"' in page
    assert f'data-recheck="{never_sent.pk}"' not in page


@responses.activate
def test_check_again_after_the_gateway_recovers_pays_once_and_extends_once(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    gateway_recovers(ref_id=777)

    page = browser.post(recheck_url(invoice), follow=True)

    assert "کد پیگیری: ۷۷۷" in shown(page)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.ref_id) == (Invoice.Status.PAID, "777")
    subscription = paid_subscriptions(agent).get()
    today = timezone.localdate()
    assert (subscription.invoice_id, subscription.starts_on, subscription.ends_on) == (
        invoice.pk,
        today,
        today + dt.timedelta(days=29),
    )
    assert 'id="awaiting-payments"' not in browser.get("/agent/").content.decode()


@responses.activate
def test_checking_again_a_second_time_extends_nothing_more(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    gateway_recovers()
    browser.post(recheck_url(invoice))
    ends_on = paid_subscriptions(agent).get().ends_on

    page = browser.post(recheck_url(invoice), follow=True)

    assert "کد پیگیری: ۷۷۷" in shown(page)
    assert paid_subscriptions(agent).get().ends_on == ends_on
    # The failed verify and the one that paid; the settled invoice is not verified again.
    assert len(verify_calls()) == 2


@responses.activate
def test_check_again_while_the_gateway_is_still_down_keeps_it_pending_with_the_persian_message(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)

    page = browser.post(recheck_url(invoice), follow=True)

    assert page.status_code == 200
    assert UNAVAILABLE in shown(page)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING
    assert not paid_subscriptions(agent).exists()


@responses.activate
def test_check_again_needs_post(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)

    assert browser.get(recheck_url(invoice)).status_code == 405


@responses.activate
def test_another_agents_invoice_is_404_in_the_browser_and_verifies_nothing(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    gateway_recovers()
    stranger = Client()
    stranger.force_login(AgentFactory(verified=True).user)

    response = stranger.post(recheck_url(invoice))

    assert response.status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING
    assert len(verify_calls()) == 1


# --- The API -------------------------------------------------------------------------------------


@responses.activate
def test_api_check_again_answers_503_in_persian_then_the_paid_invoice(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    api = client_for(agent.user)

    down = api.post(verify_url(invoice))

    assert down.status_code == 503, down.content
    assert UNAVAILABLE in down.json()["detail"]
    assert down.json()["code"] == "gateway_unavailable"
    gateway_recovers(ref_id=888)

    paid = api.post(verify_url(invoice))
    again = api.post(verify_url(invoice))

    assert paid.status_code == 200, paid.content
    assert paid.json()["id"] == invoice.pk
    assert (paid.json()["status"], paid.json()["ref_id"]) == ("paid", "888")
    assert again.status_code == 200
    assert again.json() == paid.json()
    assert paid_subscriptions(agent).count() == 1
    assert len(verify_calls()) == 3


@responses.activate
def test_api_another_agents_invoice_is_404(agent, browser):
    invoice = purchase_and_fail_verify(agent, browser)
    gateway_recovers()

    response = client_for(AgentFactory(verified=True).user).post(verify_url(invoice))

    assert response.status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING
    assert len(verify_calls()) == 1


def test_api_invoice_that_never_reached_the_gateway_is_409(verified_agent):
    plan = plan_by_code("monthly")
    invoice = Invoice.objects.create(number="X2", agent=verified_agent, plan=plan, amount=plan.price, gateway="sandbox")

    response = client_for(verified_agent.user).post(verify_url(invoice))

    assert response.status_code == 409
    assert response.json()["code"] == "not_sent_to_gateway"


def test_api_invoice_list_carries_the_id_to_check_again(agent_client, verified_agent):
    plan = plan_by_code("monthly")
    invoice, _url = subscription_purchase_start(agent=verified_agent, plan=plan, callback_url="http://testserver/")

    listed = agent_client.get("/api/v1/agent/invoices/").json()

    assert [row["id"] for row in listed] == [invoice.pk]


def test_api_check_again_is_throttled_under_the_payments_scope():
    from agents.apis import InvoiceVerifyApi
    from core.throttling import WriteScopedRateThrottle

    assert InvoiceVerifyApi.throttle_scope == "payments"
    assert InvoiceVerifyApi.throttle_classes == [WriteScopedRateThrottle]


# --- The reconcile job ------------------------------------------------------------------------


def aged(invoice, **age):
    Invoice.objects.filter(pk=invoice.pk).update(created_at=timezone.now() - dt.timedelta(**age))
    invoice.refresh_from_db()
    return invoice


def sandbox_purchase(agent, *, outcome=None, **age):
    """An invoice whose payer left the sandbox bank page with `outcome` and never came back."""
    invoice, _url = subscription_purchase_start(
        agent=agent, plan=plan_by_code("monthly"), callback_url="http://testserver/agent/payments/callback/"
    )
    if outcome:
        SandboxPayment.objects.filter(authority=invoice.authority).update(outcome=outcome, ref_id="4242")
    return aged(invoice, **age)


def test_reconcile_pays_a_payment_whose_callback_never_came_and_a_rerun_changes_nothing(verified_agent):
    invoice = sandbox_purchase(verified_agent, outcome="paid", minutes=30)

    first = reconcile_pending_payments.apply().get()
    second = reconcile_pending_payments.apply().get()

    invoice.refresh_from_db()
    assert (invoice.status, invoice.ref_id) == (Invoice.Status.PAID, "4242")
    assert paid_subscriptions(verified_agent).count() == 1
    assert (first["paid"], second["paid"]) == (1, 0)


def test_reconcile_leaves_a_payer_still_on_the_bank_page_alone(verified_agent):
    invoice = sandbox_purchase(verified_agent, minutes=5)

    payments_reconcile()

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING


def test_reconcile_settles_an_abandoned_payment_as_the_gateway_says(verified_agent):
    invoice = sandbox_purchase(verified_agent, outcome="cancelled", hours=2)

    payments_reconcile()

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert not paid_subscriptions(verified_agent).exists()


def test_reconcile_expires_an_invoice_pending_past_a_day_with_an_audit_row(verified_agent):
    invoice = sandbox_purchase(verified_agent, outcome="paid", hours=25)

    counts = payments_reconcile()
    payments_reconcile()

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FAILED
    assert invoice.failure_reason.startswith("expired")
    assert counts["expired"] == 1
    assert AuditLog.objects.filter(action="invoice.expire", target_id=str(invoice.pk)).count() == 1
    assert not paid_subscriptions(verified_agent).exists()
    # A late callback or "check again" finds it settled and extends nothing.
    assert invoice_payment_recheck(agent=verified_agent, invoice_id=invoice.pk).status == Invoice.Status.FAILED
    assert not paid_subscriptions(verified_agent).exists()


@responses.activate
def test_reconcile_goes_on_past_a_payment_the_gateway_still_cannot_verify(agent):
    plan = plan_by_code("monthly")
    invoices = {}
    for authority in ("A-DOWN", "A-UP"):
        invoices[authority] = aged(
            Invoice.objects.create(
                number=authority, agent=agent, plan=plan, amount=plan.price, gateway="zarinpal", authority=authority
            ),
            hours=1,
        )
    # The outage hits the older invoice, which is verified first.
    aged(invoices["A-DOWN"], hours=2)
    gateway_down("A-DOWN")
    gateway_pays("A-UP", ref_id=999)

    counts = payments_reconcile()

    for invoice in invoices.values():
        invoice.refresh_from_db()
    assert invoices["A-DOWN"].status == Invoice.Status.PENDING
    assert (invoices["A-UP"].status, invoices["A-UP"].ref_id) == (Invoice.Status.PAID, "999")
    assert (counts["still_pending"], counts["paid"]) == (1, 1)
    assert paid_subscriptions(agent).count() == 1


def test_reconcile_stops_starting_verifies_when_its_time_budget_is_spent(verified_agent, settings):
    settings.PAYMENT_RECONCILE_BUDGET_SECONDS = 0
    invoice = sandbox_purchase(verified_agent, outcome="paid", minutes=30)

    counts = payments_reconcile()

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PENDING
    assert counts["deferred"] == 1


def test_reconcile_runs_every_fifteen_minutes_on_beat():
    job = next(job for job in SCHEDULE if job.task == "agents.tasks.reconcile_pending_payments")

    assert job.crontab.minute == "*/15"


def test_migration_adds_the_missing_beat_row_and_leaves_the_others_alone():
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    job = next(job for job in SCHEDULE if job.task == "agents.tasks.reconcile_pending_payments")
    PeriodicTask.objects.filter(name=job.name).delete()
    PeriodicTask.objects.filter(task="agents.tasks.notify_expiring_subscriptions").update(description="staff's own")

    importlib.import_module("core.migrations.0003_beat_schedule_reconcile_payments").install(apps, None)

    assert PeriodicTask.objects.get(name=job.name).task == job.task
    assert PeriodicTask.objects.get(task="agents.tasks.notify_expiring_subscriptions").description == "staff's own"
