"""The Zarinpal v4 adapter, with Zarinpal faked at the HTTP layer (`responses`)."""

import pytest
import requests
import responses
from responses import matchers

from agents.models import Invoice, Subscription
from agents.services import PaymentUnavailableError, payment_complete

pytestmark = pytest.mark.django_db

REQUEST_URL = "https://payment.zarinpal.com/pg/v4/payment/request.json"
VERIFY_URL = "https://payment.zarinpal.com/pg/v4/payment/verify.json"
MERCHANT = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
AUTHORITY = "A0000000000000000000000000000wwOGYpd"


@pytest.fixture(autouse=True)
def zarinpal(settings):
    settings.PAYMENT_GATEWAY = "zarinpal"
    settings.ZARINPAL_MERCHANT_ID = MERCHANT


def fake_request(amount):
    responses.post(
        REQUEST_URL,
        json={
            "data": {"code": 100, "message": "Success", "authority": AUTHORITY, "fee_type": "Merchant", "fee": 100},
            "errors": [],
        },
        match=[
            matchers.json_params_matcher(
                {"merchant_id": MERCHANT, "amount": amount, "currency": "IRR"}, strict_match=False
            )
        ],
    )


def fake_verify(amount, code=100, ref_id=201):
    if code in (100, 101):
        body = {
            "data": {"code": code, "message": "Verified", "card_pan": "502229******5995", "ref_id": ref_id, "fee": 0},
            "errors": [],
        }
        status = 200
    else:
        body = {
            "data": [],
            "errors": {
                "code": code,
                "message": "Session is not valid, amounts values is not the same.",
                "validations": [],
            },
        }
        status = 400
    responses.post(
        VERIFY_URL,
        json=body,
        status=status,
        match=[matchers.json_params_matcher({"merchant_id": MERCHANT, "amount": amount, "authority": AUTHORITY})],
    )


@responses.activate
def test_purchase_redirects_to_start_pay(agent_client):
    fake_request(5_000_000)

    response = agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["payment_url"] == f"https://payment.zarinpal.com/pg/StartPay/{AUTHORITY}"
    invoice = Invoice.objects.get()
    assert (invoice.gateway, invoice.authority, invoice.amount) == ("zarinpal", AUTHORITY, 5_000_000)
    sent = responses.calls[0].request
    assert b"http://testserver/agent/payments/callback/" in sent.body


@responses.activate
def test_gateway_refusing_the_request_is_503_and_a_failed_invoice(agent_client):
    responses.post(REQUEST_URL, json={"data": [], "errors": {"code": -9, "message": "validation error"}}, status=400)

    response = agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")

    assert response.status_code == 503
    assert Invoice.objects.get().status == Invoice.Status.FAILED


@responses.activate
def test_unreachable_gateway_is_503(agent_client):
    # No fake registered: `responses` refuses the connection like a dead network.
    response = agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")

    assert response.status_code == 503


@responses.activate
def test_verify_with_our_amount_pays_once(agent_client, client):
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    fake_verify(5_000_000, code=100, ref_id=201)

    client.get("/agent/payments/callback/", {"Authority": AUTHORITY, "Status": "OK"})
    client.get("/agent/payments/callback/", {"Authority": AUTHORITY, "Status": "OK"})

    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.ref_id, invoice.card_pan) == (Invoice.Status.PAID, "201", "502229******5995")
    assert Subscription.objects.filter(invoice=invoice).count() == 1
    # The replay found the invoice settled and never asked Zarinpal again.
    assert len([call for call in responses.calls if call.request.url == VERIFY_URL]) == 1


@responses.activate
def test_already_verified_101_counts_as_paid(agent_client):
    # E.g. our first verify reached Zarinpal but the process died before committing.
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    fake_verify(5_000_000, code=101)

    invoice = payment_complete(authority=AUTHORITY)

    assert invoice.status == Invoice.Status.PAID
    assert Subscription.objects.filter(invoice=invoice).count() == 1


@responses.activate
def test_amount_mismatch_is_not_paid(agent_client):
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    fake_verify(5_000_000, code=-50)

    invoice = payment_complete(authority=AUTHORITY)

    assert invoice.status == Invoice.Status.FAILED
    assert not Subscription.objects.exists()


@responses.activate
def test_verify_always_sends_the_invoice_amount_not_a_callback_value(agent_client, client):
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    fake_verify(5_000_000)

    client.get("/agent/payments/callback/", {"Authority": AUTHORITY, "Status": "OK", "Amount": "1000"})

    assert Invoice.objects.get().status == Invoice.Status.PAID


@responses.activate
def test_verify_timeout_leaves_invoice_pending_for_a_retry(agent_client):
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    responses.post(VERIFY_URL, body=requests.exceptions.ReadTimeout("timeout"))

    with pytest.raises(PaymentUnavailableError):
        payment_complete(authority=AUTHORITY)

    assert Invoice.objects.get().status == Invoice.Status.PENDING
    responses.replace(responses.POST, VERIFY_URL, json={"data": {"code": 100, "ref_id": 9}, "errors": []})
    assert payment_complete(authority=AUTHORITY).status == Invoice.Status.PAID


@responses.activate
def test_nok_callback_is_checked_and_marked_failed(agent_client, client):
    fake_request(5_000_000)
    agent_client.post("/api/v1/agent/subscription/", {"plan": "monthly"}, format="json")
    responses.post(
        VERIFY_URL, json={"data": [], "errors": {"code": -51, "message": "Session is not valid"}}, status=400
    )

    client.get("/agent/payments/callback/", {"Authority": AUTHORITY, "Status": "NOK"})

    assert Invoice.objects.get().status == Invoice.Status.FAILED
