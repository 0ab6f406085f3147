"""The browser forms do the same work as the API, so they answer 429 under the same scopes,
and draw on the same budget: the API and a form together get one allowance, not two.

The rate of the scope under test is lowered by the `rates` fixture (tests/security/conftest.py).
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.text import to_persian_digits
from tests.factories import UserFactory
from tests.insurance_requests.conftest import client_for
from tests.security.conftest import LIMIT, browser_for

# (scope, who posts, path); {names} are filled from the `world` fixture.
FORMS = [
    ("auth", None, "/accounts/register/"),
    ("auth", None, "/accounts/login/"),
    ("auth", None, "/accounts/verify/"),
    ("auth", None, "/accounts/verify/resend/"),
    ("support", "customer", "/accounts/tickets/"),
    ("support", "customer", "/accounts/tickets/{ticket_id}/"),
    ("support", "customer", "/accounts/profile/identity-change/"),
    ("requests", "customer", "/requests/new/"),
    ("requests", "customer", "/requests/{request_id}/repost/"),
    ("lead_respond", "agent", "/agent/leads/{request_id}/"),
    ("claims", "customer", "/claims/new/"),
    ("uploads", "customer", "/claims/{claim_id}/documents/"),
    ("uploads", "agent", "/policies/new/"),
    ("uploads", "agent", "/policies/{policy_id}/document/upload/"),
    ("uploads", "agent", "/agent/documents/"),
    ("payments", "agent", "/agent/subscription/buy/"),
    ("payments", "agent", "/agent/payments/999999/verify/"),
]
POST_ONLY = {
    "/accounts/verify/resend/",
    "/requests/{request_id}/repost/",
    "/claims/{claim_id}/documents/",
    "/agent/subscription/buy/",
    "/agent/payments/999999/verify/",
}
# Forms whose page is shown on GET.
PAGES = [form for form in FORMS if form[2] not in POST_ONLY]


def _user(world, who):
    return {"customer": world["customer"], "agent": world["agent"].user, None: None}[who]


def _assert_rate_limited(response, path):
    assert response.status_code == 429, f"{path}: answered {response.status_code}"
    retry_after = int(response["Retry-After"])
    assert retry_after > 0
    text = response.content.decode()
    assert "درخواست‌های شما بیش از حد مجاز است" in text
    assert f"{to_persian_digits(retry_after)} ثانیه" in text


def _exhaust(client, path, limit=LIMIT, method="post", **extra):
    for attempt in range(limit):
        response = getattr(client, method)(path, **extra)
        assert response.status_code != 429, f"{path}: throttled after only {attempt} calls"
    response = getattr(client, method)(path, **extra)
    _assert_rate_limited(response, path)
    return response


@pytest.fixture
def limited(world, rates):
    """The world, built before the rate is lowered and with its own calls forgotten."""

    def lower(scope):
        rates(scope)
        cache.clear()
        return world

    return lower


@pytest.mark.django_db
@pytest.mark.parametrize(("scope", "who", "path"), FORMS)
def test_a_form_answers_429_with_retry_after_past_its_limit(limited, scope, who, path):
    world = limited(scope)
    path = path.format(**world)
    response = _exhaust(browser_for(_user(world, who)), path)
    assert "<html" in response.content.decode()  # the site's page, not a bare message
    # The limit is per caller: another user, or for sign-in another address, gets through.
    if who is None:
        response = browser_for(None).post(path, REMOTE_ADDR="198.51.100.9")
    else:
        response = browser_for(_user(world, "customer" if who == "agent" else "agent")).post(path)
    assert response.status_code != 429


@pytest.mark.django_db
@pytest.mark.parametrize(("scope", "who", "path"), PAGES)
def test_showing_the_form_is_not_limited(limited, scope, who, path):
    world = limited(scope)
    path = path.format(**world)
    client = browser_for(_user(world, who))
    _exhaust(client, path)
    for _ in range(LIMIT * 2):
        assert client.get(path).status_code != 429


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_buy_more_sign_in_attempts(rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rates("auth")
    client = browser_for(None)
    for attempt in range(LIMIT):
        response = client.post(
            "/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.5"
        )
        assert response.status_code == 200  # the form again, with its errors
    response = client.post("/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5")
    _assert_rate_limited(response, "/accounts/login/")
    # A different real client behind the same proxy has its own allowance.
    response = client.post("/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 200


def _api_client(user):
    return APIClient() if user is None else client_for(user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "who", "api_path", "web_path"),
    [
        ("auth", None, "/api/v1/auth/otp/", "/accounts/login/"),
        ("requests", "customer", "/api/v1/requests/", "/requests/new/"),
        ("lead_respond", "agent", "/api/v1/agent/leads/{request_id}/respond/", "/agent/leads/{request_id}/"),
        ("claims", "customer", "/api/v1/claims/", "/claims/new/"),
        ("uploads", "customer", "/api/v1/claims/{claim_id}/documents/", "/claims/{claim_id}/documents/"),
        ("uploads", "agent", "/api/v1/policies/{policy_id}/document/", "/policies/{policy_id}/document/upload/"),
        ("support", "customer", "/api/v1/me/tickets/", "/accounts/tickets/"),
        ("payments", "agent", "/api/v1/agent/subscription/", "/agent/subscription/buy/"),
    ],
)
def test_the_api_and_the_form_share_one_budget(limited, scope, who, api_path, web_path):
    world = limited(scope)
    api_path, web_path = api_path.format(**world), web_path.format(**world)
    user = _user(world, who)
    api, browser = _api_client(user), browser_for(user)
    for _ in range(LIMIT - 1):
        assert api.post(api_path, {}, format="json").status_code != 429
    assert browser.post(web_path).status_code != 429
    # The allowance is spent, whichever door is knocked on next.
    _assert_rate_limited(browser.post(web_path), web_path)
    assert api.post(api_path, {}, format="json").status_code == 429


QUOTE = "/pricing/fire/"


@pytest.mark.django_db
def test_computing_quotes_in_the_browser_is_limited_and_shares_the_api_budget(rates):
    rates("pricing")
    browser = browser_for(UserFactory())
    assert APIClient().post("/api/v1/pricing/quotes/", {}, format="json").status_code != 429
    # Signed in or not, the caller is keyed by address, as the pricing API (no identity) keys it.
    _exhaust(browser, QUOTE, limit=LIMIT - 1, method="get", data={"submitted": "1"})
    assert APIClient().post("/api/v1/pricing/quotes/", {}, format="json").status_code == 429
    # The empty form is a page, not a computation.
    for _ in range(LIMIT * 2):
        assert browser.get(QUOTE).status_code == 200


@pytest.mark.django_db
def test_an_htmx_quote_past_the_limit_gets_the_alert_alone(rates):
    rates("pricing")
    response = _exhaust(browser_for(None), QUOTE, method="get", data={"submitted": "1"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="rate-limited"' in text
    assert "<html" not in text
