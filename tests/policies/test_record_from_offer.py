"""From offer to policy (issue 14 point 3): the accepted agent records the policy from the
offer in one step, every field filled from the request and the accepted offer; anyone else
gets 404. Through the page (`/policies/from-offer/<request>/`) and the API
(`GET /api/v1/agent/leads/<id>/policy/`, then `POST /api/v1/policies/`)."""

import datetime as dt

import pytest
from django.test import Client

from core.jalali import format_jalali
from insurance_requests.models import Delivery, InsuranceRequest, LeadResponse
from insurers.models import Insurer
from policies.models import Policy
from tests.policies.helpers import accepted_request, client_for, days, make_agent, today

pytestmark = pytest.mark.django_db

PREMIUM = 20_000_000
FIRE_PARAMS = {
    "property_type": "residential",
    "construction_type": "concrete",
    "building_value": 3_000_000_000,
    "contents_value": 1_000_000_000,
}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offer_schedule() -> list[dict]:
    """30% down today, then two monthly instalments: fire's rule [001] holds."""
    return [
        {"due_on": today().isoformat(), "amount": 6_000_000},
        {"due_on": (today() + days(30)).isoformat(), "amount": 7_000_000},
        {"due_on": (today() + days(60)).isoformat(), "amount": 7_000_000},
    ]


def accepted_offer(*, customer, agent, line="fire", params=None, **offer) -> InsuranceRequest:
    """A request whose accepted response carries an offer (the fields of migration 0004)."""
    request = accepted_request(customer=customer, agent=agent, line=line)
    request.params = FIRE_PARAMS if params is None else params
    request.save(update_fields=["params"])
    Delivery.objects.create(request=request, agent=agent)
    LeadResponse.objects.filter(pk=request.accepted_response_id).update(
        premium=offer.get("premium", PREMIUM),
        quoted_premium=offer.get("quoted_premium", 22_000_000),
        payment_plan=offer.get("payment_plan", LeadResponse.PaymentPlan.INSTALLMENTS),
        installments=offer.get("installments", offer_schedule()),
        covers=offer.get("covers", ["earthquake"]),
        valid_until=today() + days(7),
    )
    request.refresh_from_db()
    return request


def test_the_form_is_prefilled_from_the_offer_and_the_request(agent, customer):
    """issue 14 point 3: line, request, premium = the offer's, sum insured from the request's
    values, covers, payment plan and the offer's schedule, a year from today."""
    request = accepted_offer(customer=customer, agent=agent)

    page = browser(agent.user).get(f"/policies/from-offer/{request.pk}/")

    assert page.status_code == 200
    form = page.context["form"]
    assert form["request"].value() == request.pk
    assert form["line"].value() == "fire"
    assert form["premium"].value() == f"{PREMIUM:,}"
    assert form["sum_insured"].value() == f"{4_000_000_000:,}"
    assert form["covers"].value() == ["earthquake"]
    assert form["payment_plan"].value() == "installments"
    assert form["keep_offer_schedule"].value() is True
    assert form["starts_on"].value() == format_jalali(today())
    assert form["ends_on"].value() == format_jalali(today() + days(365))
    html = page.content.decode()
    assert "صدور بیمه‌نامه از پیشنهاد پذیرفته‌شده" in html
    assert 'id="offer-schedule"' in html and "۶۰۰٬۰۰۰ تومان" in html


def test_the_lead_page_of_the_accepted_agent_links_to_the_form(agent, customer):
    """issue 14 point 3: the button «صدور بیمه‌نامه از این پیشنهاد» on the accepted lead."""
    request = accepted_offer(customer=customer, agent=agent)

    html = browser(agent.user).get(f"/agent/leads/{request.pk}/").content.decode()

    assert f'href="/policies/from-offer/{request.pk}/"' in html
    assert "صدور بیمه‌نامه از این پیشنهاد" in html


def test_recording_from_the_offer_keeps_its_premium_covers_inputs_and_schedule(agent, customer):
    """issue 14 point 3: the policy's schedule is the offer's instalments, row for row."""
    request = accepted_offer(customer=customer, agent=agent)
    page = browser(agent.user)
    form = page.get(f"/policies/from-offer/{request.pk}/").context["form"]
    data = {name: form[name].value() for name in ("request", "line", "premium", "sum_insured", "payment_plan")}
    data.update(
        {
            "policy_number": "۱۴۰۴-۷۷",
            "starts_on": form["starts_on"].value(),
            "ends_on": form["ends_on"].value(),
            "covers": form["covers"].value(),
            "property_type": form["property_type"].value(),
            "keep_offer_schedule": "on",
        }
    )

    response = page.post(f"/policies/from-offer/{request.pk}/", data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get()
    assert (policy.request_id, policy.premium, policy.customer_id) == (request.pk, PREMIUM, customer.pk)
    assert policy.covers == ["earthquake"]
    assert policy.payment_plan == "installments"
    assert policy.params["building_value"] == 3_000_000_000
    schedule = [{"due_on": row.due_on.isoformat(), "amount": row.amount} for row in policy.installments.all()]
    assert schedule == offer_schedule()


def test_unticking_the_schedule_computes_one_from_the_count(agent, customer):
    """issue 14 point 3: the agent may still set the instalments by their number."""
    request = accepted_offer(customer=customer, agent=agent)
    response = browser(agent.user).post(
        f"/policies/from-offer/{request.pk}/",
        {
            "request": request.pk,
            "line": "fire",
            "policy_number": "۱۴۰۴-۷۸",
            "starts_on": format_jalali(today()),
            "ends_on": format_jalali(today() + days(365)),
            "premium": f"{PREMIUM:,}",
            "sum_insured": "4,000,000,000",
            "property_type": "residential",
            "payment_plan": "installments",
            "installments_count": "4",
        },
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert Policy.objects.get().installments.count() == 5


def test_a_cash_body_offer_starts_today_and_carries_the_body_covers(agent, customer):
    """issue 14 point 3: cash is one payment; body covers travel though the form lists fire's."""
    from core.jalali import solar_year

    params = {"car_value": 8_000_000_000, "build_year": solar_year(today()) - 3, "no_claim_years": 2}
    request = accepted_offer(
        customer=customer,
        agent=agent,
        line="body",
        params=params,
        payment_plan=LeadResponse.PaymentPlan.CASH,
        installments=[{"due_on": today().isoformat(), "amount": PREMIUM}],
        covers=["glass"],
    )
    page = browser(agent.user)
    form = page.get(f"/policies/from-offer/{request.pk}/").context["form"]
    assert form["payment_plan"].value() == "cash"
    assert form["sum_insured"].value() == f"{8_000_000_000:,}"
    assert "keep_offer_schedule" not in form.fields

    response = page.post(
        f"/policies/from-offer/{request.pk}/",
        {
            "request": request.pk,
            "line": "body",
            "policy_number": "B-1",
            "starts_on": form["starts_on"].value(),
            "ends_on": form["ends_on"].value(),
            "premium": form["premium"].value(),
            "sum_insured": form["sum_insured"].value(),
            "build_year": form["build_year"].value(),
            "payment_plan": "cash",
        },
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get()
    assert policy.covers == ["glass"] and policy.params["no_claim_years"] == 2
    assert list(policy.installments.values_list("amount", flat=True)) == [PREMIUM]


def test_an_agent_whose_offer_was_not_accepted_gets_404(agent, customer):
    """issue 14 point 3: only the accepted agent of the request; the page and the API alike."""
    request = accepted_offer(customer=customer, agent=agent)
    colleague = make_agent()  # same insurer, the lead was delivered to them too
    Delivery.objects.create(request=request, agent=colleague)
    rival = make_agent(insurer=Insurer.objects.exclude(pk=agent.insurer_id).first())
    Delivery.objects.create(request=request, agent=rival)
    LeadResponse.objects.create(request=request, agent=rival, insurer=rival.insurer, response_seconds=30)

    for other in (colleague, rival):
        assert browser(other.user).get(f"/policies/from-offer/{request.pk}/").status_code == 404
        assert client_for(other.user).get(f"/api/v1/agent/leads/{request.pk}/policy/").status_code == 404
    assert browser(customer).get(f"/policies/from-offer/{request.pk}/").status_code == 404
    assert client_for(customer).get(f"/api/v1/agent/leads/{request.pk}/policy/").status_code == 404


def test_an_ended_cooperation_is_no_longer_recorded_from_its_offer(agent, customer):
    """issue 14 point 3: the draft is for an accepted request only."""
    request = accepted_offer(customer=customer, agent=agent)
    InsuranceRequest.objects.filter(pk=request.pk).update(status=InsuranceRequest.Status.ENDED)

    assert browser(agent.user).get(f"/policies/from-offer/{request.pk}/").status_code == 404


def test_the_api_draft_equals_the_offer_and_posts_as_a_policy(agent, customer, agent_api):
    """issue 14 point 3: GET the draft, add the policy number, POST it: the schedule is the offer's."""
    request = accepted_offer(customer=customer, agent=agent)

    draft = agent_api.get(f"/api/v1/agent/leads/{request.pk}/policy/")

    assert draft.status_code == 200
    body = draft.json()
    assert body["request"] == request.pk and body["line"] == "fire" and body["insurer"] == agent.insurer.code
    assert body["customer"] == {"name": customer.get_full_name(), "mobile": customer.mobile}
    assert body["premium"] == PREMIUM and body["sum_insured"] == 4_000_000_000
    assert body["covers"] == ["earthquake"] and body["params"] == FIRE_PARAMS
    assert body["payment_plan"] == "installments" and body["installments"] == offer_schedule()
    assert body["starts_on"] == today().isoformat()
    assert body["ends_on"] == (today() + dt.timedelta(days=365)).isoformat()

    body.pop("customer")
    body.pop("valid_until")
    created = agent_api.post("/api/v1/policies/", {**body, "policy_number": "API-1"}, format="json")

    assert created.status_code == 201, created.json()
    policy = Policy.objects.get()
    assert [(row.due_on.isoformat(), row.amount) for row in policy.installments.all()] == [
        (row["due_on"], row["amount"]) for row in offer_schedule()
    ]
