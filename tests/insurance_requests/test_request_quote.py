"""issue 14 point 2: a request keeps the quote it was posted from.

On posting, the server recomputes the chosen insurers' quotes with the request's inputs and
stores them with the tariff year; a price sent by the client is never read. Agents see
their own insurer's quote on the lead; the API exposes it to the customer and the agent.
"""

import re

import pytest

from core.text import group_thousands, to_persian_digits
from insurance_requests.models import InsuranceRequest
from pricing.models import Tariff
from pricing.services import quote_compare
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import THIRD_PARTY, active_agent

pytestmark = pytest.mark.django_db


def _server_quotes(insurers, params=THIRD_PARTY, line="third_party"):
    return {quote.insurer: quote for quote in quote_compare(line=line, params=params, insurers=insurers).quotes}


def _toman(rial):
    return f"{to_persian_digits(group_thousands(rial // 10))} تومان"


def test_a_posted_request_stores_each_chosen_insurers_premium_breakdown_and_tariff_year(post_request):
    """issue 14 point 2: the quote is stored for the chosen insurers, as the pricing engine gives it."""
    active_agent("iran")
    assert post_request(insurers=["iran", "asia"]).status_code == 201
    stored = InsuranceRequest.objects.get()
    expected = _server_quotes(["iran", "asia"])
    assert stored.quote_tariff_year == 1405
    assert {line["insurer"]: line["premium"] for line in stored.quote["quotes"]} == {
        code: quote.premium for code, quote in expected.items()
    }
    iran = next(line for line in stored.quote["quotes"] if line["insurer"] == "iran")
    assert iran["insurer_name"] == "بیمه ایران"
    assert iran["breakdown"] == [line.as_dict() for line in expected["iran"].breakdown]
    assert sum(line["amount"] for line in iran["breakdown"]) == iran["premium"]


def test_a_premium_sent_by_the_client_is_never_stored(post_request):
    """issue 14 point 2: the server computes the quote; a client's figures are ignored."""
    active_agent("iran")
    forged = {"tariff_year": 1300, "quotes": [{"insurer": "iran", "premium": 10, "breakdown": []}]}
    assert post_request(insurers=["iran"], premium=10, quote=forged, quote_tariff_year=1300).status_code == 201
    stored = InsuranceRequest.objects.get()
    assert stored.quote_tariff_year == 1405
    assert stored.quote["quotes"][0]["premium"] == _server_quotes(["iran"])["iran"].premium != 10


def test_the_other_line_stores_no_quote(post_request, customer_client):
    """issue 14 point 2: «سایر بیمه‌ها» has no tariff, so nothing is stored and the API says null."""
    active_agent("iran")
    posted = post_request(line="other", params={}, note="بیمه مسئولیت پزشک", insurers=["iran"])
    assert posted.status_code == 201 and posted.json()["quote"] is None
    stored = InsuranceRequest.objects.get()
    assert stored.quote == {} and stored.quote_tariff_year is None


def test_the_customer_reads_the_quote_in_the_request_api(post_request, customer_client):
    """issue 14 point 2: GET /api/v1/requests/<id>/ carries `quote`: {"tariff_year", "quotes"}."""
    active_agent("iran")
    request_id = post_request(insurers=["iran", "asia"]).json()["id"]
    quote = customer_client.get(f"/api/v1/requests/{request_id}/").json()["quote"]
    assert quote["tariff_year"] == 1405
    expected = _server_quotes(["iran", "asia"])
    assert [line["insurer"] for line in quote["quotes"]] == list(expected)  # cheapest first, as shown
    assert set(quote["quotes"][0]) == {"insurer", "insurer_name", "premium", "breakdown"}
    assert set(quote["quotes"][0]["breakdown"][0]) == {"code", "label", "amount"}


def test_an_agent_reads_only_their_own_insurers_quote_in_the_lead_api(post_request):
    """issue 14 point 2: the lead's `quote` is {"tariff_year", "premium", "breakdown"} of the agent's insurer."""
    iran, asia = active_agent("iran"), active_agent("asia")
    request_id = post_request(insurers=["iran", "asia"]).json()["id"]
    expected = _server_quotes(["iran", "asia"])
    for agent, code in ((iran, "iran"), (asia, "asia")):
        lead = client_for(agent.user).get(f"/api/v1/agent/leads/{request_id}/").json()
        assert lead["quote"] == {
            "tariff_year": 1405,
            "premium": expected[code].premium,
            "breakdown": [line.as_dict() for line in expected[code].breakdown],
        }
    listed = client_for(iran.user).get("/api/v1/agent/leads/").json()["results"][0]
    assert listed["quote"]["premium"] == expected["iran"].premium


def test_a_lead_without_a_quote_for_the_agents_insurer_says_null(post_request):
    """issue 14 point 2: the «سایر بیمه‌ها» line stores no quote; the lead's `quote` is null."""
    agent = active_agent("iran")
    request_id = post_request(line="other", params={}, note="بیمه مسئولیت پزشک", insurers=["iran"]).json()["id"]
    assert client_for(agent.user).get(f"/api/v1/agent/leads/{request_id}/").json()["quote"] is None


def test_the_lead_page_shows_the_agents_quote_as_a_table_in_toman_with_the_persian_tariff_year(post_request, client):
    """issue 14 point 2: premium in toman, breakdown with its labels, «تعرفه سال ۱۴۰۵»; no other insurer's price."""
    iran = active_agent("iran")
    active_agent("asia")
    request_id = post_request(insurers=["iran", "asia"]).json()["id"]
    expected = _server_quotes(["iran", "asia"])
    client.force_login(iran.user)
    html = client.get(f"/agent/leads/{request_id}/").content.decode()
    section = html[html.index('id="request-quote"') :]
    section = section[: section.index("</section>")]
    assert "قیمت‌ها بر اساس تعرفه سال ۱۴۰۵" in section
    assert f'data-premium="{expected["iran"].premium}"' in section
    assert _toman(expected["iran"].premium) in section
    for line in expected["iran"].breakdown:
        assert line.label in section
    assert f'data-premium="{expected["asia"].premium}"' not in html
    assert not re.search(r"[0-9]", re.sub(r"<[^>]*>", "", section))  # Persian digits only, as read
    assert ">None<" not in html  # an optional input left empty is not shown as Python's None


def test_the_pricing_pages_hand_off_carries_the_tariff_year_to_the_request_form(customer, client):
    """issue 14 point 2: the «درخواست» link of the quote page carries the year of the prices shown."""
    client.force_login(customer)
    quote_page = client.get("/pricing/third_party/?submitted=1&no_claim_years=3").content.decode()
    link = re.search(r'href="(/requests/new/\?[^"]+)"', quote_page).group(1).replace("&amp;", "&")
    assert "tariff_year=1405" in link
    form_page = client.get(link).content.decode()
    assert re.search(r'name="shown_tariff_year" value="1405"', form_page)
    assert "تعرفه سال ۱۴۰۵" in form_page


def _post_form(client, **extra):
    data = {
        "line": "third_party",
        "p_vehicle_group": "car_4cyl",
        "p_usage": "personal",
        "p_no_claim_years": "3",
        "province": "tehran",
        "city": "تهران",
        "insurers": ["iran"],
        **extra,
    }
    return client.post("/requests/new/?line=third_party", data, follow=True)


def test_a_tariff_changed_since_the_quote_page_stores_the_quote_of_posting_time_and_says_so(customer, client):
    """issue 14 point 2: the quote page showed 1404; a post after 1405 came into force stores 1405 and says so."""
    active_agent("iran")
    client.force_login(customer)
    current = Tariff.objects.get(solar_year=1405)
    current.is_published = False
    current.save()  # the 1404 tariff is the one in force, as before 1405 was published
    quote_page = client.get("/pricing/third_party/?submitted=1&no_claim_years=3").content.decode()
    assert "tariff_year=1404" in quote_page
    current.is_published = True
    current.save()
    page = _post_form(client, shown_tariff_year="1404").content.decode()
    stored = InsuranceRequest.objects.get()
    assert stored.quote_tariff_year == 1405
    assert stored.quote["quotes"][0]["premium"] == _server_quotes(["iran"])["iran"].premium
    assert "تعرفه از زمان مشاهده قیمت‌ها تغییر کرده است؛ قیمت‌ها بر اساس تعرفه سال ۱۴۰۵ ثبت شد." in page


def test_the_request_form_stores_the_quote_and_names_its_tariff_year(customer, client):
    """issue 14 point 2: the HTML post stores the quote as the API post does, and says its year."""
    active_agent("iran")
    client.force_login(customer)
    page = _post_form(client, shown_tariff_year="1405").content.decode()
    assert "قیمت‌ها بر اساس تعرفه سال ۱۴۰۵ همراه درخواست ثبت شد." in page
    stored = InsuranceRequest.objects.get()
    assert stored.quote["quotes"][0]["premium"] == _server_quotes(["iran"])["iran"].premium
