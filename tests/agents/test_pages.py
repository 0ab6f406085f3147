"""The browser wizard and dashboard: the same services as the API, one stage at a time."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agents.models import Agent, Invoice, TermsAcceptance
from tests.agents.factories import AgentFactory
from tests.agents.images import png_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def current_step(response):
    match = re.search(r'data-step="(\w+)" data-state="(?:current|failed)"', response.content.decode())
    return match.group(1) if match else None


def test_dashboard_sends_newcomers_to_the_initial_form(client):
    signed_in(client, UserFactory())

    response = client.get("/agent/")

    assert response.status_code == 302
    assert response["Location"] == "/agent/register/"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/agent/register/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_register_page_shows_stage_one_and_creates_the_agent(client):
    user = UserFactory()
    signed_in(client, user)

    page = client.get("/agent/register/")
    assert current_step(page) == "profile"

    from insurers.models import Insurer, Province

    response = client.post(
        "/agent/register/",
        {
            "insurer": Insurer.objects.get(code="iran").pk,
            "agency_code": "۷۷۷",
            "agency_name": "نمایندگی نور",
            "province": Province.objects.get(code="tehran").pk,
            "city": "تهران",
            "postal_address": "میدان ونک",
            "postal_code": "۱۲۳۴۵۶۷۸۹۰",
            "office_phone": "۰۲۱۸۸۷۷۶۶۵۵",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == "/agent/terms/"
    assert Agent.objects.get(user=user).agency_code == "777"


def test_register_page_shows_the_duplicate_agency_code_reason(client):
    AgentFactory(agency_code="777")
    signed_in(client, UserFactory())
    from insurers.models import Insurer, Province

    response = client.post(
        "/agent/register/",
        {
            "insurer": Insurer.objects.get(code="iran").pk,
            "agency_code": "777",
            "agency_name": "نمایندگی دوم",
            "province": Province.objects.get(code="tehran").pk,
            "city": "تهران",
            "postal_address": "میدان ونک",
            "postal_code": "1234567890",
            "office_phone": "02188776655",
        },
    )

    assert response.status_code == 200
    assert "این کد نمایندگی برای این بیمه‌گر قبلاً" in response.content.decode()


def test_terms_page_records_acceptance_with_ip(client):
    agent = AgentFactory()
    signed_in(client, agent.user)

    page = client.get("/agent/terms/")
    assert current_step(page) == "terms"
    assert "مقررات و ضوابط پرداخت" in page.content.decode()

    response = client.post("/agent/terms/", {"version": 1, "plan": "yearly", "accept": "on"}, REMOTE_ADDR="9.9.9.9")

    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(agent=agent)
    assert (acceptance.ip, acceptance.plan.code) == ("9.9.9.9", "yearly")


def test_terms_page_needs_the_checkbox(client):
    agent = AgentFactory()
    signed_in(client, agent.user)

    response = client.post("/agent/terms/", {"version": 1, "plan": "yearly"})

    assert response.status_code == 200
    assert not TermsAcceptance.objects.exists()


@pytest.mark.rule("R-004")
def test_dashboard_before_verification_shows_counts_but_no_gateway(client):
    agent = AgentFactory(terms_accepted=True)
    signed_in(client, agent.user)

    response = client.get("/agent/")

    body = response.content.decode()
    assert response.status_code == 200
    assert current_step(response) == "documents"
    assert 'id="lead-counts"' in body
    assert 'data-open="false"' in body
    assert "/agent/documents/" in body  # the next step's button


def test_documents_page_uploads_and_queues(client):
    agent = AgentFactory(terms_accepted=True)
    signed_in(client, agent.user)

    response = client.post(
        "/agent/documents/",
        {
            "licence_image": SimpleUploadedFile("l.png", png_bytes(), content_type="image/png"),
            "licence_number": "۹۸۷۶",
            "licence_expires_on": "۱۴۲۰/۰۱/۰۱",
        },
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.status, agent.licence_number) == (Agent.Status.PENDING_VERIFICATION, "9876")
    dashboard = client.get("/agent/")
    assert current_step(dashboard) == "verification"


def test_documents_page_refuses_a_polyglot(client):
    agent = AgentFactory(terms_accepted=True)
    signed_in(client, agent.user)

    response = client.post(
        "/agent/documents/",
        {
            "licence_image": SimpleUploadedFile("l.png", png_bytes() + b"<html></html>", content_type="image/png"),
            "licence_number": "9876",
            "licence_expires_on": "1420/01/01",
        },
    )

    assert response.status_code == 200
    assert "محتوای فایل معتبر نیست" in response.content.decode()


def test_rejected_agent_sees_the_reason(client):
    agent = AgentFactory(documents_sent=True, status=Agent.Status.REJECTED, rejection_reason="عکس تار است")
    signed_in(client, agent.user)

    response = client.get("/agent/")

    assert "عکس تار است" in response.content.decode()
    assert current_step(response) == "documents"


def test_verified_agent_starts_trial_buys_and_sees_days_left_and_invoice(client):
    agent = AgentFactory(verified=True)
    signed_in(client, agent.user)
    assert current_step(client.get("/agent/")) == "gateway"

    client.post("/agent/subscription/trial/")
    to_bank = client.post("/agent/subscription/buy/", {"plan": "monthly"})
    assert to_bank.status_code == 302
    back = client.post(to_bank["Location"], {"outcome": "pay"})
    dashboard = client.get(back["Location"], follow=True)

    body = dashboard.content.decode()
    assert "پرداخت با موفقیت انجام شد" in body
    assert 'data-open="true"' in body
    assert 'id="days-left">۳۷<' in body  # 7 trial days + 30 paid
    invoice = Invoice.objects.get(agent=agent)
    assert invoice.status == Invoice.Status.PAID
    assert 'data-status="paid"' in body
    assert current_step(dashboard) is None  # every step done


def test_unknown_sandbox_page_is_404(client):
    assert client.get("/agent/payments/sandbox/nothing/").status_code == 404


def test_sandbox_can_be_switched_off(client, settings, verified_agent):
    settings.PAYMENT_SANDBOX_ENABLED = False
    signed_in(client, verified_agent.user)

    response = client.post("/agent/subscription/buy/", {"plan": "monthly"}, follow=True)

    assert "درگاه پرداخت در دسترس نیست" in response.content.decode()
