"""The free trial, paid plans through the sandbox gateway, renewal, and the gateway rule."""

import datetime as dt

import pytest
from django.utils import timezone

from agents.models import Agent, Invoice, SandboxPayment, Subscription, TermsAcceptance, TrialUsage
from agents.selectors import gateway_active
from agents.services import payment_complete, terms_version_publish
from core.text import to_persian_digits
from insurers.models import Insurer
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRIAL = "/api/v1/agent/subscription/trial/"
BUY = "/api/v1/agent/subscription/"
PROFILE = "/api/v1/agent/profile/"


def today():
    return timezone.localdate()


# --- The free trial ---------------------------------------------------------------------------


@pytest.mark.rule("R-006")
def test_trial_opens_the_gateway(agent_client, verified_agent, settings):
    settings.AGENT_TRIAL_DAYS = 7
    assert agent_client.get(PROFILE).json()["gateway_active"] is False

    response = agent_client.post(TRIAL)

    assert response.status_code == 201, response.json()
    profile = agent_client.get(PROFILE).json()
    assert profile["gateway_active"] is True
    assert profile["subscription"] == {
        "plan": None,
        "status": "trial",
        "ends_on": (today() + dt.timedelta(days=6)).isoformat(),
        "days_left": 7,
    }


@pytest.mark.rule("R-006")
def test_second_trial_is_409(agent_client):
    agent_client.post(TRIAL)

    response = agent_client.post(TRIAL)

    assert response.status_code == 409
    assert Subscription.objects.count() == 1


def test_trial_before_verification_is_refused():
    agent = AgentFactory(documents_sent=True)

    response = client_for(agent.user).post(TRIAL)

    assert response.status_code == 409
    assert not Subscription.objects.exists()


@pytest.mark.rule("R-006")
def test_trial_after_a_paid_plan_is_refused(agent_client, verified_agent):
    buy_with_sandbox(agent_client, outcome="pay")

    assert agent_client.post(TRIAL).status_code == 409


def test_same_agency_code_under_a_new_account_gets_no_second_trial(agent_client, verified_agent):
    agent_client.post(TRIAL)
    # The first account is gone from the agency; someone registers the code again.
    old_code = verified_agent.agency_code
    Agent.objects.filter(pk=verified_agent.pk).update(agency_code="OLD-" + old_code)
    newcomer = AgentFactory(verified=True, agency_code=old_code)

    response = client_for(newcomer.user).post(TRIAL)

    assert response.status_code == 409
    assert not newcomer.subscriptions.exists()


def test_same_national_code_gets_no_second_trial(agent_client, verified_agent):
    agent_client.post(TRIAL)
    # The same person, a new account (the old one released its national code), a new agency.
    national_code = verified_agent.user.national_code
    type(verified_agent.user).objects.filter(pk=verified_agent.user_id).update(national_code=None)
    newcomer = AgentFactory(
        verified=True, user=UserFactory(national_code=national_code), insurer=Insurer.objects.get(code="asia")
    )

    response = client_for(newcomer.user).post(TRIAL)

    assert response.status_code == 409


def test_trial_usage_is_keyed_by_person_national_code_and_agency_code(agent_client, verified_agent):
    agent_client.post(TRIAL)

    keys = dict(TrialUsage.objects.values_list("key", "value"))
    assert keys == {
        "person": str(verified_agent.user_id),
        "national_code": verified_agent.user.national_code,
        "agency_code": f"iran:{verified_agent.agency_code}",
    }


# --- Paid plans through the sandbox gateway ------------------------------------------------------


def buy_with_sandbox(client, *, plan="monthly", outcome="pay"):
    """POST the purchase, press a button on the sandbox page, follow back to the callback."""
    response = client.post(BUY, {"plan": plan}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    authority = Invoice.objects.get(number=body["invoice"]["number"]).authority
    from django.test import Client

    browser = Client()
    page = browser.get(body["payment_url"])
    assert page.status_code == 200
    back = browser.post(body["payment_url"], {"outcome": outcome})
    assert back.status_code == 302
    assert f"Authority={authority}" in back["Location"]
    callback = browser.get(back["Location"])
    assert callback.status_code == 302
    return Invoice.objects.get(authority=authority), back["Location"]


def test_purchase_answers_payment_url_and_invoice(agent_client):
    response = agent_client.post(BUY, {"plan": "quarterly"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["payment_url"].startswith("http://testserver/agent/payments/sandbox/")
    assert body["invoice"]["amount"] == 13_500_000
    assert body["invoice"]["status"] == "pending"
    assert body["invoice"]["plan"] == "quarterly"


def test_purchase_before_verification_is_refused():
    agent = AgentFactory(terms_accepted=True)

    assert client_for(agent.user).post(BUY, {"plan": "monthly"}, format="json").status_code == 409
    assert not Invoice.objects.exists()


def test_purchase_of_unknown_plan_is_400(agent_client):
    assert agent_client.post(BUY, {"plan": "forever"}, format="json").status_code == 400


@pytest.mark.rule("R-007")
def test_successful_payment_extends_and_leaves_a_paid_invoice(
    agent_client, verified_agent, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _ = buy_with_sandbox(agent_client, plan="monthly", outcome="pay")

    assert invoice.status == Invoice.Status.PAID
    assert invoice.paid_at is not None and invoice.ref_id
    subscription = invoice.subscription
    assert (subscription.starts_on, subscription.ends_on) == (today(), today() + dt.timedelta(days=29))
    profile = agent_client.get(PROFILE).json()
    assert profile["subscription"]["status"] == "active"
    assert profile["subscription"]["plan"] == "monthly"
    assert profile["gateway_active"] is True
    assert any(to_persian_digits(invoice.number) in sms.text for sms in sms_outbox)  # issue 14 point 10


def test_failed_payment_extends_nothing(agent_client):
    invoice, _ = buy_with_sandbox(agent_client, outcome="fail")

    assert invoice.status == Invoice.Status.FAILED
    assert not Subscription.objects.exists()
    assert agent_client.get(PROFILE).json()["gateway_active"] is False


def test_cancelled_payment_extends_nothing(agent_client):
    invoice, _ = buy_with_sandbox(agent_client, outcome="cancel")

    assert invoice.status == Invoice.Status.CANCELLED
    assert not Subscription.objects.exists()


def test_replayed_callback_extends_once(agent_client, client):
    invoice, callback_url = buy_with_sandbox(agent_client, outcome="pay")

    for _ in range(3):
        assert client.get(callback_url).status_code == 302

    assert Subscription.objects.filter(kind="paid").count() == 1
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_forged_ok_status_on_an_unpaid_authority_does_not_pay(agent_client, client):
    response = agent_client.post(BUY, {"plan": "monthly"}, format="json")
    invoice = Invoice.objects.get(number=response.json()["invoice"]["number"])

    # The payer never pressed "pay" but calls the callback with Status=OK themselves.
    client.get("/agent/payments/callback/", {"Authority": invoice.authority, "Status": "OK"})

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FAILED
    assert not Subscription.objects.exists()


def test_tampered_amount_is_rejected(agent_client):
    response = agent_client.post(BUY, {"plan": "yearly"}, format="json")
    invoice = Invoice.objects.get(number=response.json()["invoice"]["number"])
    # The payer managed to pay 1,000 rial at the bank instead of the invoice amount.
    SandboxPayment.objects.filter(authority=invoice.authority).update(amount=1000, outcome="paid", ref_id="777")

    payment_complete(authority=invoice.authority)

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FAILED
    assert "-50" in invoice.failure_reason
    assert not Subscription.objects.exists()


def test_callback_for_unknown_authority_changes_nothing(client, agent_client):
    response = client.get("/agent/payments/callback/", {"Authority": "nope", "Status": "OK"})

    assert response.status_code == 302
    assert not Subscription.objects.exists()


@pytest.mark.rule("R-007")
def test_renewal_extends_from_the_current_end_date(agent_client, verified_agent):
    agent_client.post(TRIAL)
    trial_end = today() + dt.timedelta(days=6)

    first, _ = buy_with_sandbox(agent_client, plan="monthly")
    second, _ = buy_with_sandbox(agent_client, plan="quarterly")

    first_period, second_period = first.subscription, second.subscription
    assert first_period.starts_on == trial_end + dt.timedelta(days=1)
    assert second_period.starts_on == first_period.ends_on + dt.timedelta(days=1)
    assert second_period.ends_on == trial_end + dt.timedelta(days=30 + 90)
    profile = agent_client.get(PROFILE).json()
    # Paid during the trial: a paying subscriber at once (issue 14 point 10), the trial's
    # days kept before the paid periods.
    assert profile["subscription"]["status"] == "active"
    assert profile["subscription"]["ends_on"] == second_period.ends_on.isoformat()
    assert profile["subscription"]["days_left"] == 7 + 30 + 90


def test_renewal_after_expiry_starts_today(verified_agent):
    Subscription.objects.create(
        agent=verified_agent,
        kind="trial",
        starts_on=today() - dt.timedelta(days=20),
        ends_on=today() - dt.timedelta(days=14),
    )
    client = client_for(verified_agent.user)
    assert client.get(PROFILE).json()["subscription"]["status"] == "expired"

    invoice, _ = buy_with_sandbox(client, plan="monthly")

    assert invoice.subscription.starts_on == today()


def test_invoices_are_listed_for_the_agent(agent_client):
    buy_with_sandbox(agent_client, outcome="pay")
    buy_with_sandbox(agent_client, outcome="fail")

    data = agent_client.get("/api/v1/agent/invoices/").json()

    assert [row["status"] for row in data] == ["failed", "paid"]


# --- gateway_active: the one rule --------------------------------------------------------------------


def open_gateway(agent):
    Subscription.objects.create(agent=agent, kind="trial", starts_on=today(), ends_on=today() + dt.timedelta(days=3))


@pytest.mark.rule("R-002")
def test_gateway_open_when_all_four_conditions_hold(verified_agent):
    open_gateway(verified_agent)

    assert gateway_active(verified_agent) is True


@pytest.mark.rule("R-002")
def test_gateway_closed_without_verification():
    agent = AgentFactory(documents_sent=True)
    open_gateway(agent)

    assert gateway_active(agent) is False


@pytest.mark.rule("R-002")
def test_gateway_closed_when_licence_expired(verified_agent):
    open_gateway(verified_agent)
    Agent.objects.filter(pk=verified_agent.pk).update(licence_expires_on=today() - dt.timedelta(days=1))

    assert gateway_active(verified_agent) is False


@pytest.mark.rule("R-007")
def test_gateway_closed_after_subscription_ends(verified_agent):
    open_gateway(verified_agent)

    assert gateway_active(verified_agent, today=today() + dt.timedelta(days=3)) is True
    assert gateway_active(verified_agent, today=today() + dt.timedelta(days=4)) is False


def test_gateway_closed_until_new_terms_are_accepted(verified_agent):
    open_gateway(verified_agent)

    terms_version_publish(title="مقررات", text="نسخه دوم")

    assert gateway_active(verified_agent) is False
    client = client_for(verified_agent.user)
    assert client.post("/api/v1/agent/terms/accept/", {"version": 2, "plan": "monthly"}).status_code == 200
    assert TermsAcceptance.objects.filter(agent=verified_agent).count() == 2
    assert gateway_active(verified_agent) is True


def test_gateway_day_boundary_is_tehran(verified_agent, monkeypatch):
    # 21:00 UTC on the last day is already 00:30 of the next day in Tehran (UTC+3:30):
    # the gateway has closed although the UTC date is still the last day.
    ends_on = today() + dt.timedelta(days=10)
    Subscription.objects.create(agent=verified_agent, kind="trial", starts_on=today(), ends_on=ends_on)
    at = dt.datetime.combine(ends_on, dt.time(), tzinfo=dt.UTC)

    monkeypatch.setattr(timezone, "now", lambda: at + dt.timedelta(hours=20))
    assert gateway_active(verified_agent) is True
    monkeypatch.setattr(timezone, "now", lambda: at + dt.timedelta(hours=21))
    assert gateway_active(verified_agent) is False
