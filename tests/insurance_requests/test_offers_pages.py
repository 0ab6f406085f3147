"""Offers in the browser pages (issue 14 point 1): the agent's priced form in toman, the customer's
comparison cheapest first (a table and cards), the confirm step, expiry and the revealed postal code."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.jalali import format_jalali
from core.text import group_thousands, to_persian_digits
from insurance_requests.models import InsuranceRequest, LeadResponse
from insurance_requests.selectors import offer_pricing
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


def _toman(rial):
    return to_persian_digits(group_thousands(rial // 10))


@pytest.fixture
def iran():
    return active_agent("iran", agency_name="نمایندگی ستاره شرق", postal_code="1591634311")


@pytest.fixture
def asia():
    return active_agent("asia")


@pytest.fixture
def lead(post_request, iran, asia):
    return post_request(insurers=["iran", "asia"]).json()["id"]


def _form(valid_until=None, **values):
    valid_until = valid_until or timezone.localdate() + dt.timedelta(days=7)
    return {"payment_plan": "cash", "valid_until": to_persian_digits(format_jalali(valid_until)), **values}


def test_the_respond_form_is_prefilled_with_the_tariff_premium_in_toman(iran, lead, client):
    """issue 14 point 1: the premium comes from the pricing engine for the agent's insurer, in toman,
    with the rial it will send, the floor named, and a week's validity in Jalali."""
    bounds = offer_pricing(request=InsuranceRequest.objects.get(pk=lead), insurer_code="iran").bounds
    client.force_login(iran.user)
    html = client.get(f"/agent/leads/{lead}/").content.decode()
    assert f'value="{_toman(bounds.tariff_premium)}"' in html
    assert f"مبلغی که فرستاده می‌شود: {to_persian_digits(group_thousands(bounds.tariff_premium))} ریال" in html
    assert f"کمترین مبلغ مجاز با تخفیف {_toman(bounds.floor_premium)} تومان" in html
    week = to_persian_digits(format_jalali(timezone.localdate() + dt.timedelta(days=7)))
    assert f'value="{week}"' in html


def test_a_premium_typed_in_persian_toman_is_stored_in_rial(iran, lead, client):
    """issue 14 point 1: '۱۲۳٬۴۵۶٬۰۰۰' toman is 1,234,560,000 rial."""
    client.force_login(iran.user)
    page = client.post(f"/agent/leads/{lead}/", _form(premium="۱۲۳٬۴۵۶٬۰۰۰"))
    assert page.status_code == 302
    assert LeadResponse.objects.get().premium == 1_234_560_000


def test_the_form_refuses_a_premium_below_the_floor_beside_the_field(iran, lead, client):
    """issue 14 point 1: the page says the floor in toman, in Persian, and keeps what was typed."""
    bounds = offer_pricing(request=InsuranceRequest.objects.get(pk=lead), insurer_code="iran").bounds
    client.force_login(iran.user)
    typed = to_persian_digits(str(bounds.floor_premium // 10 - 1000))
    html = client.post(f"/agent/leads/{lead}/", _form(premium=typed)).content.decode()
    assert 'id="id_premium_error"' in html and "کمتر از حداقلی" in html
    assert f"{_toman(bounds.floor_premium)} تومان" in html
    assert not LeadResponse.objects.exists()


def _respond(agent, lead, premium, **body):
    answer = client_for(agent.user).post(
        f"/api/v1/agent/leads/{lead}/respond/", offer_payload(premium=premium, **body), format="json"
    )
    assert answer.status_code == 201, answer.content
    return answer.json()["id"]


def test_the_customer_compares_offers_cheapest_first_without_the_agents_identity(iran, asia, lead, customer, client):
    """issue 14 point 1: side by side (a table, and cards for a phone), sorted by price, with the discount,
    the validity in Jalali and the agent's record; never the agent's name or agency before acceptance."""
    bounds = offer_pricing(request=InsuranceRequest.objects.get(pk=lead), insurer_code="iran").bounds
    _respond(iran, lead, bounds.tariff_premium + 50_000_000)
    _respond(asia, lead, bounds.floor_premium)
    client.force_login(customer)
    html = client.get(f"/requests/{lead}/").content.decode()
    table = html[html.index('id="offers-table"') : html.index('id="offers-cards"')]
    cards = html[html.index('id="offers-cards"') :]
    for part in (table, cards):
        assert part.index("بیمه آسیا") < part.index("بیمه ایران")
    assert "نمایندگی ستاره شرق" not in html and iran.agency_code not in html
    assert "اعتبار تا" in html
    assert to_persian_digits(format_jalali(timezone.localdate() + dt.timedelta(days=7))) in html
    assert "هنوز امتیازی ندارد" in html and "میانه زمان پاسخ" in html


def test_accepting_asks_for_confirmation_first(iran, lead, customer, client):
    """issue 14 point 1: the page's button leads to a summary with a confirm button (no JavaScript needed);
    only the confirm's POST accepts."""
    rid = _respond(iran, lead, 20_000_000_000)
    client.force_login(customer)
    html = client.get(f"/requests/{lead}/").content.decode()
    assert f'href="/requests/{lead}/responses/{rid}/accept/"' in html
    confirm = client.get(f"/requests/{lead}/responses/{rid}/accept/").content.decode()
    assert "بله، این پیشنهاد را می‌پذیرم" in confirm and "۲٬۰۰۰٬۰۰۰٬۰۰۰ تومان" in confirm
    assert InsuranceRequest.objects.get(pk=lead).status == InsuranceRequest.Status.OPEN
    client.post(f"/requests/{lead}/responses/{rid}/accept/")
    assert InsuranceRequest.objects.get(pk=lead).status == InsuranceRequest.Status.ACCEPTED


def test_an_expired_offer_offers_no_button_and_is_refused_in_persian(iran, lead, customer, client):
    """issue 14 point 1: past `valid_until` the page has no accept button, the confirm page says why, and a
    POST is refused with a Persian message."""
    rid = _respond(iran, lead, 20_000_000_000)
    LeadResponse.objects.filter(pk=rid).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(customer)
    html = client.get(f"/requests/{lead}/").content.decode()
    assert f"/responses/{rid}/accept/" not in html and "اعتبار این پیشنهاد گذشته است" in html
    confirm = client.get(f"/requests/{lead}/responses/{rid}/accept/").content.decode()
    assert 'id="offer-expired"' in confirm and "بله، این پیشنهاد را می‌پذیرم" not in confirm
    page = client.post(f"/requests/{lead}/responses/{rid}/accept/", follow=True).content.decode()
    assert "دیگر پذیرفتنی نیست" in page
    assert InsuranceRequest.objects.get(pk=lead).status == InsuranceRequest.Status.OPEN


def test_the_revealed_agent_shows_the_agencys_postal_code(iran, lead, customer, client):
    """issue 14 point 10: after acceptance the page shows the agency's postal code."""
    rid = _respond(iran, lead, 20_000_000_000)
    client.force_login(customer)
    client.post(f"/requests/{lead}/responses/{rid}/accept/")
    html = client.get(f"/requests/{lead}/").content.decode()
    match = re.search(r'id="agent-postal-code">([^<]+)<', html)
    assert match and match.group(1) == to_persian_digits("1591634311")


def test_a_fire_offer_form_offers_instalments_and_ticks_the_requests_covers(post_request, client):
    """issue 14 point 1: instalments where the insurer sells the line so (fire), covers by label, the
    customer's ticked."""
    agent = active_agent("iran")
    params = {"property_type": "residential", "building_value": 5_000_000_000, "covers": ["earthquake"]}
    lead = post_request(line="fire", insurers=["iran"], params=params).json()["id"]
    client.force_login(agent.user)
    html = client.get(f"/agent/leads/{lead}/").content.decode()
    assert 'name="payment_plan" id="id_payment_plan_1" value="installments"' in html
    assert re.search(r'name="covers" id="id_covers_\d+" value="earthquake" checked', html)
    assert re.search(r'name="covers" id="id_covers_\d+" value="flood">', html)
