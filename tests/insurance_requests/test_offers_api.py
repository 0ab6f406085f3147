"""Offers through the API (issue 14 point 1; API.md "Requests and leads"): the discount floor,
validity, one per insurer, hidden identity, the price order and the instalment schedule."""

import datetime as dt

import pytest
from django.utils import timezone

from insurance_requests.models import InsuranceRequest, LeadResponse
from insurance_requests.selectors import offer_pricing
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db

FIRE = {"property_type": "residential", "building_value": 5_000_000_000, "area_m2": 100, "covers": ["earthquake"]}


@pytest.fixture
def agents():
    return {"iran": active_agent("iran"), "iran2": active_agent("iran"), "asia": active_agent("asia")}


@pytest.fixture
def lead(post_request, agents):
    posted = post_request()
    assert posted.status_code == 201, posted.content
    return posted.json()["id"]


def _respond(agent, request_id, **body):
    return client_for(agent.user).post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(**body), format="json"
    )


def _bounds(request_id, insurer):
    return offer_pricing(request=InsuranceRequest.objects.get(pk=request_id), insurer_code=insurer).bounds


def test_the_api_requires_the_offer_premium_plan_and_validity(agents, lead):
    """issue 14 point 1: the body of a response is an offer (API.md)."""
    answer = client_for(agents["iran"].user).post(f"/api/v1/agent/leads/{lead}/respond/", {}, format="json")
    assert answer.status_code == 400
    assert {"premium", "payment_plan", "valid_until"} <= set(answer.json())


@pytest.mark.rule("R-050")
def test_an_offer_below_the_floor_is_refused_in_persian_naming_the_floor_in_toman(agents, lead):
    """issue 14 point 1: a discount beyond what the tariff allows is a 400 on `premium`."""
    bounds = _bounds(lead, "iran")
    answer = _respond(agents["iran"], lead, premium=bounds.floor_premium - 1)
    assert answer.status_code == 400
    message = answer.json()["premium"][0]
    assert "کمتر از حداقلی" in message
    from core.text import group_thousands, to_persian_digits

    assert to_persian_digits(group_thousands(bounds.floor_premium // 10)) + " تومان" in message
    assert not LeadResponse.objects.exists()


def test_an_offer_at_the_floor_is_taken_and_stores_the_tariff_premium_beside_it(agents, lead):
    """issue 14 point 1: the floor itself is allowed; the discount is kept against the tariff premium."""
    bounds = _bounds(lead, "iran")
    assert bounds.floor_premium < bounds.tariff_premium
    answer = _respond(agents["iran"], lead, premium=bounds.floor_premium)
    assert answer.status_code == 201
    stored = LeadResponse.objects.get(pk=answer.json()["id"])
    assert (stored.premium, stored.quoted_premium) == (bounds.floor_premium, bounds.tariff_premium)
    assert stored.installments == [{"due_on": timezone.localdate().isoformat(), "amount": bounds.floor_premium}]


def test_a_past_validity_date_is_refused(agents, lead):
    """issue 14 point 1: an offer valid until yesterday is a 400 on `valid_until`."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    answer = _respond(agents["iran"], lead, valid_until=yesterday.isoformat())
    assert answer.status_code == 400 and "valid_until" in answer.json()


def test_a_validity_beyond_thirty_days_is_refused(agents, lead):
    """issue 14 point 1: an offer holds today's tariff for a month at most."""
    far = timezone.localdate() + dt.timedelta(days=31)
    assert _respond(agents["iran"], lead, valid_until=far.isoformat()).status_code == 400
    assert _respond(agents["iran"], lead, valid_until=(far - dt.timedelta(days=1)).isoformat()).status_code == 201


def test_an_expired_offer_cannot_be_accepted(agents, lead, customer_client):
    """issue 14 point 1: past its `valid_until`, accepting is a 409 and the request stays open."""
    rid = _respond(agents["iran"], lead).json()["id"]
    LeadResponse.objects.filter(pk=rid).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    detail = customer_client.get(f"/api/v1/requests/{lead}/").json()
    assert detail["responses"][0]["offer"]["expired"] is True
    answer = customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert answer.status_code == 409 and answer.json()["code"] == "offer_expired"
    assert InsuranceRequest.objects.get(pk=lead).status == InsuranceRequest.Status.OPEN


def test_an_offer_on_its_last_day_can_be_accepted(agents, lead, customer_client):
    """issue 14 point 1: `valid_until` is the last day the offer holds."""
    rid = _respond(agents["iran"], lead, valid_until=timezone.localdate().isoformat()).json()["id"]
    assert customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/").status_code == 200


def test_one_offer_per_insurer_the_second_agent_gets_409(agents, lead):
    """issue 14 point 1: one offer per insurer still holds; the first agent wins."""
    assert _respond(agents["iran"], lead).status_code == 201
    second = _respond(agents["iran2"], lead, premium=30_000_000_000)
    assert second.status_code == 409
    assert LeadResponse.objects.get().agent == agents["iran"]


def test_identity_stays_hidden_until_acceptance_then_includes_the_postal_code(agents, lead, customer_client):
    """issue 14 points 1 and 10: `agent` null and the lead's `customer` null before acceptance; after it,
    the agent with the agency's postal code."""
    rid = _respond(agents["iran"], lead).json()["id"]
    before = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]
    assert before["agent"] is None and before["agent_record"]["rating_count"] == 0
    assert client_for(agents["iran"].user).get(f"/api/v1/agent/leads/{lead}/").json()["customer"] is None
    accepted = customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/").json()
    assert accepted["agent"]["postal_code"] == agents["iran"].postal_code
    after = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]
    assert after["agent"]["agency_code"] == agents["iran"].agency_code
    assert client_for(agents["iran"].user).get(f"/api/v1/agent/leads/{lead}/").json()["customer"] is not None


def test_offers_come_cheapest_first_and_answers_without_a_price_last(agents, lead, customer_client):
    """issue 14 point 1: responses sorted by `offer.premium`, cheapest first (API.md)."""
    dana = active_agent("dana")
    InsuranceRequest.objects.get(pk=lead).insurers.add(dana.insurer)
    from insurance_requests.models import Delivery

    Delivery.objects.create(request_id=lead, agent=dana)
    _respond(agents["iran"], lead, premium=20_000_000_000)
    _respond(agents["asia"], lead, premium=19_000_000_000)
    legacy = _respond(dana, lead, premium=10_000_000_000).json()["id"]
    LeadResponse.objects.filter(pk=legacy).update(premium=None)  # an answer from before offers
    responses = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"]
    assert [(r["insurer"], r["offer"]["premium"]) for r in responses] == [
        ("asia", 19_000_000_000),
        ("iran", 20_000_000_000),
        ("dana", None),
    ]


def test_the_offer_in_the_request_carries_plan_schedule_validity_and_discount(agents, lead, customer_client):
    """issue 14 point 1: each response's `offer` (API.md), extended with the discount vs the tariff."""
    bounds = _bounds(lead, "iran")
    valid_until = timezone.localdate() + dt.timedelta(days=3)
    _respond(agents["iran"], lead, premium=bounds.tariff_premium - 1_000_000, valid_until=valid_until.isoformat())
    offer = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]["offer"]
    assert offer["premium"] == bounds.tariff_premium - 1_000_000
    assert offer["discount"] == 1_000_000
    assert offer["payment_plan"] == "cash" and offer["valid_until"] == valid_until.isoformat()
    assert [row["amount"] for row in offer["installments"]] == [offer["premium"]]


def test_an_instalment_offer_stores_a_schedule_summing_to_the_premium(post_request, customer_client):
    """issue 14 point 1: instalments where the insurer sells the line so (fire here), the schedule from
    `pricing.core.installments.installment_schedule`: at least 30% down, summing to the premium."""
    agent = active_agent("iran")
    lead = post_request(line="fire", insurers=["iran"], params=FIRE).json()["id"]
    premium = _bounds(lead, "iran").tariff_premium
    answer = _respond(agent, lead, premium=premium, payment_plan="installments")
    assert answer.status_code == 201, answer.content
    schedule = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]["offer"]["installments"]
    assert len(schedule) > 1
    assert sum(row["amount"] for row in schedule) == premium
    assert schedule[0]["amount"] * 100 >= premium * 30


def test_instalments_are_refused_where_the_insurer_sells_for_cash_only(post_request):
    """issue 14 point 1: no instalment terms (the "other" line has no tariff) → 400 on `payment_plan`."""
    agent = active_agent("iran")
    lead = post_request(line="other", insurers=["iran"], params={}, note="بیمه مسئولیت مدنی کارفرما").json()["id"]
    answer = _respond(agent, lead, premium=5_000_000, payment_plan="installments")
    assert answer.status_code == 400 and "payment_plan" in answer.json()


def test_the_other_line_takes_any_positive_premium(post_request):
    """issue 14 point 1: "other" has no tariff, so no floor; the premium is what the agent types."""
    agent = active_agent("iran")
    lead = post_request(line="other", insurers=["iran"], params={}, note="بیمه مسئولیت مدنی کارفرما").json()["id"]
    answer = _respond(agent, lead, premium=1_000)
    assert answer.status_code == 201
    assert LeadResponse.objects.get().quoted_premium is None


def test_covers_default_to_the_requests_and_unknown_codes_are_refused(post_request):
    """issue 14 point 1: `covers` are codes of the line's optional covers, by default the request's."""
    agent = active_agent("iran")
    lead = post_request(line="fire", insurers=["iran"], params=FIRE).json()["id"]
    assert _respond(agent, lead, covers=["no_such_cover"]).status_code == 400
    assert _respond(agent, lead).status_code == 201
    assert LeadResponse.objects.get().covers == ["earthquake"]


def test_more_covers_raise_the_floor(post_request):
    """issue 14 point 1: the floor is that of the covers offered, not of the request's."""
    agent = active_agent("iran")
    lead = post_request(line="fire", insurers=["iran"], params=FIRE).json()["id"]
    request = InsuranceRequest.objects.get(pk=lead)
    asked = offer_pricing(request=request, insurer_code="iran").bounds
    more = offer_pricing(request=request, insurer_code="iran", covers=["earthquake", "flood"]).bounds
    assert more.floor_premium > asked.floor_premium
    assert _respond(agent, lead, premium=asked.floor_premium, covers=["earthquake", "flood"]).status_code == 400


def test_a_third_party_offer_in_instalments_follows_the_insurers_own_terms(post_request, customer_client):
    """issue 14 points 1 and 4: a third-party offer is sold in instalments only by an insurer whose
    tariff data has a plan, on that plan's down payment, number and spacing; a cash-only insurer's
    agent is refused on `payment_plan`."""
    from pricing.core.installments import installment_terms
    from pricing.core.money import add_solar_months
    from pricing.selectors import tariff_snapshot

    snapshot = tariff_snapshot()
    codes = [terms.code for terms in snapshot.insurers if terms.line == "third_party"]
    by_plan = {code: installment_terms(snapshot, "third_party", code) for code in codes}
    seller = next(code for code, terms in by_plan.items() if terms is not None)
    cash_only = next(code for code, terms in by_plan.items() if terms is None)
    agents = {seller: active_agent(seller), cash_only: active_agent(cash_only)}
    lead = post_request(insurers=[seller, cash_only]).json()["id"]

    refused = _respond(
        agents[cash_only], lead, premium=_bounds(lead, cash_only).tariff_premium, payment_plan="installments"
    )
    assert refused.status_code == 400 and "payment_plan" in refused.json()

    premium = _bounds(lead, seller).tariff_premium
    answer = _respond(agents[seller], lead, premium=premium, payment_plan="installments")
    assert answer.status_code == 201, answer.content
    terms = by_plan[seller]
    schedule = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]["offer"]["installments"]
    assert len(schedule) == terms.max_count + 1
    assert sum(row["amount"] for row in schedule) == premium
    assert schedule[0]["amount"] * 100 >= premium * terms.min_down_percent
    first = dt.date.fromisoformat(schedule[0]["due_on"])
    assert [row["due_on"] for row in schedule[1:]] == [
        add_solar_months(first, n * terms.spacing_months).isoformat() for n in range(1, terms.max_count + 1)
    ]
