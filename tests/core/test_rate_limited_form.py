"""A form refused by a rate limit keeps what was typed and returns to the same page
(issue 14 point 10): the form's own page again, every field as it was sent, a Persian alert
with the wait, 429 with Retry-After, and none of the form's work done. One mechanism in
core.throttling for every limited form; the API keeps its bare 429.

The rate of the scope under test is lowered by the `rates` fixture (tests/security/conftest.py).
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import SupportTicket
from core.text import to_persian_digits
from insurance_requests.models import InsuranceRequest
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent
from tests.security.conftest import LIMIT, rates  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

ALERT = "درخواست‌های شما بیش از حد مجاز است"


def _browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _spend(client, path, data, *, method="post", limit=LIMIT):
    for attempt in range(limit):
        response = getattr(client, method)(path, data)
        assert response.status_code != 429, f"{path}: refused after only {attempt} calls"


def _assert_same_page_refused(response):
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert retry_after > 0
    html = response.content.decode()
    assert ALERT in html and f"{to_persian_digits(retry_after)} ثانیه" in html
    return html


def _value(html, name):
    match = re.search(
        rf'<(?:input|textarea)[^>]*name="{name}"[^>]*?(?:value="([^"]*)"[^>]*)?>(?:([^<]*)</textarea>)?', html
    )
    assert match, f"no field {name}"
    return match.group(1) if match.group(1) is not None else match.group(2)


@pytest.fixture
def limited(rates):  # noqa: F811
    def lower(scope):
        rates(scope)
        cache.clear()

    return lower


def test_a_refused_sign_in_shows_the_sign_in_form_with_the_typed_mobile(limited, sms_outbox):
    """issue 14 point 10: the sign-in code request, refused, is the same form with the number kept and no code sent."""
    limited("auth")
    client = _browser()
    _spend(client, "/accounts/login/", {"mobile": "not a number"})
    sent_before = len(sms_outbox)

    response = client.post("/accounts/login/", {"mobile": "09121234567"})

    html = _assert_same_page_refused(response)
    assert 'name="mobile"' in html and _value(html, "mobile") == "09121234567"
    assert len(sms_outbox) == sent_before


def test_a_refused_request_form_keeps_every_field_and_posts_nothing(limited):
    """issue 14 point 10: the request form, refused, keeps the line's inputs, the insurers ticked and the note."""
    active_agent("asia")
    limited("requests")
    client = _browser(UserFactory())
    form = {
        "line": "body",
        "p_car_value": "۵۰۰٬۰۰۰٬۰۰۰",
        "p_build_year": "1400",
        "p_usage": "personal",
        "province": "tehran",
        "city": "کرج",
        "insurers": ["asia", "dana"],
        "note": "خودرو پارکینگ دارد",
    }
    _spend(client, "/requests/new/?line=body", {"line": "body"})

    response = client.post("/requests/new/?line=body", form)

    html = _assert_same_page_refused(response)
    assert _value(html, "city") == "کرج"
    assert _value(html, "p_car_value") == "۵۰۰٬۰۰۰٬۰۰۰"
    assert "خودرو پارکینگ دارد" in html
    ticked = set(re.findall(r'<input[^>]*name="insurers" value="(\w+)"[^>]*checked', html))
    assert ticked == {"asia", "dana"}
    assert not InsuranceRequest.objects.exists()


def test_a_refused_support_ticket_keeps_its_subject_and_text(limited):
    """issue 14 point 10: any limited form, here the support ticket, comes back filled in."""
    limited("support")
    client = _browser(UserFactory())
    _spend(client, "/accounts/tickets/", {"subject": ""})

    response = client.post("/accounts/tickets/", {"category": "support", "subject": "پرداخت", "body": "پیام بلند من"})

    html = _assert_same_page_refused(response)
    assert _value(html, "subject") == "پرداخت" and "پیام بلند من" in html
    assert not SupportTicket.objects.exists()


def test_a_refused_button_that_only_posts_offers_the_way_back(limited):
    """issue 14 point 10: a bare button (resend the code) has no page of its own: the alert
    and a link back to the page it was on."""
    limited("auth")
    client = _browser()
    for _ in range(LIMIT):
        client.post("/accounts/login/", {"mobile": "x"})

    response = client.post("/accounts/verify/resend/", HTTP_REFERER="http://testserver/accounts/verify/")

    html = _assert_same_page_refused(response)
    assert 'id="back-to-form" href="/accounts/verify/"' in html or 'href="/accounts/verify/" id="back-to-form"' in html


def test_a_refused_quote_keeps_the_inputs_and_computes_nothing(limited):
    """issue 14 point 10: the quote form (a GET) refused shows the typed inputs and no prices."""
    limited("pricing")
    client = _browser()
    query = {"submitted": "1", "area_m2": "۱۲۰", "building_value": "۲٬۰۰۰٬۰۰۰٬۰۰۰"}
    _spend(client, "/pricing/fire/", query, method="get", limit=LIMIT)

    response = client.get("/pricing/fire/", query)

    html = _assert_same_page_refused(response)
    assert _value(html, "area_m2") == "۱۲۰"
    assert response.context["result"] is None


def test_the_api_still_answers_a_bare_429(limited):
    """issue 14 point 10 changes the browser only: the API's refusal stays JSON."""
    limited("auth")
    from rest_framework.test import APIClient

    api = APIClient()
    for _ in range(LIMIT):
        api.post("/api/v1/auth/otp/", {"mobile": "x"}, format="json")
    response = api.post("/api/v1/auth/otp/", {"mobile": "x"}, format="json")
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")


def test_a_refused_form_whose_page_cannot_be_shown_still_answers_429(limited):
    """issue 14 point 10: showing the page is a courtesy; when it fails (here a lead that does
    not exist: 404 on GET) the answer is the rate-limited page, not the page's error."""
    agent = active_agent("asia")
    limited("lead_respond")
    client = _browser(agent.user)
    for _ in range(LIMIT):
        client.post("/agent/leads/999999/", {"message": "آماده‌ام"})

    response = client.post("/agent/leads/999999/", {"message": "آماده‌ام"})

    _assert_same_page_refused(response)
