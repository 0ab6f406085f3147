"""Every authentication and expensive endpoint answers 429 with Retry-After past its
limit, keyed by the client address we trust (core.http.client_ip), not by a value the
client wrote into X-Forwarded-For.

The test settings raise every rate so that other tests never trip them; here the rate of
the scope under test is lowered by patching the throttles' table (DRF reads it once, at
import, so override_settings would not reach it).
"""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from core.http import client_ip
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent
from tests.security.conftest import LIMIT


def _authenticated(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _exhaust(client, method, path, body=None, limit=LIMIT, **extra):
    for attempt in range(limit):
        response = getattr(client, method)(path, body or {}, format="json", **extra)
        assert response.status_code != 429, f"{path}: throttled after only {attempt} calls"
    response = getattr(client, method)(path, body or {}, format="json", **extra)
    assert response.status_code == 429, f"{path}: call {limit + 1} answered {response.status_code}"
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]
    return response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "path"),
    [
        ("auth", "/api/v1/auth/register/"),
        ("auth", "/api/v1/auth/otp/"),
        ("auth", "/api/v1/auth/verify/"),
        ("pricing", "/api/v1/pricing/quotes/"),
    ],
)
def test_anonymous_endpoints_answer_429_with_retry_after(rates, scope, path):
    rates(scope)
    _exhaust(APIClient(), "post", path)
    # Another address still gets through.
    response = APIClient().post(path, {}, format="json", REMOTE_ADDR="198.51.100.9")
    assert response.status_code != 429


@pytest.mark.django_db
def test_sign_in_code_status_polling_is_limited(rates):
    rates("auth_status")
    _exhaust(APIClient(), "get", "/api/v1/auth/otp/no-such-request/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "path", "who"),
    [
        ("requests", "/api/v1/requests/", "customer"),
        ("requests", "/api/v1/requests/999999/repost/", "customer"),
        ("lead_respond", "/api/v1/agent/leads/999999/respond/", "agent"),
        ("payments", "/api/v1/agent/subscription/", "agent"),
        ("claims", "/api/v1/claims/", "customer"),
        ("uploads", "/api/v1/claims/999999/documents/", "customer"),
        ("uploads", "/api/v1/policies/999999/document/", "agent"),
        ("uploads", "/api/v1/agent/licence/", "agent"),
        ("support", "/api/v1/me/tickets/", "customer"),
        ("support", "/api/v1/me/tickets/999999/messages/", "customer"),
        ("support", "/api/v1/me/identity-change-requests/", "customer"),
    ],
)
def test_expensive_endpoints_answer_429_with_retry_after(rates, scope, path, who):
    rates(scope)
    user = active_agent().user if who == "agent" else UserFactory()
    _exhaust(_authenticated(user), "post", path)
    # The limit is per caller: someone else is not affected.
    response = _authenticated(UserFactory()).post(path, {}, format="json")
    assert response.status_code != 429


@pytest.mark.django_db
def test_reading_the_request_list_is_not_counted_against_posting(rates):
    rates("requests")
    client = _authenticated(UserFactory())
    for _ in range(LIMIT * 2):
        assert client.get("/api/v1/requests/").status_code == 200
    _exhaust(client, "post", "/api/v1/requests/")


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_change_the_key_behind_one_proxy(rates, settings):
    """Our proxy (REMOTE_ADDR 10.0.0.1) appends the address it saw; whatever the client
    wrote before it is ignored, so rotating it does not buy more attempts."""
    settings.TRUSTED_PROXY_COUNT = 1
    rates("auth")
    client = APIClient(REMOTE_ADDR="10.0.0.1")
    for attempt in range(LIMIT):
        response = client.post(
            "/api/v1/auth/otp/", {}, format="json", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.5"
        )
        assert response.status_code == 400
    response = client.post("/api/v1/auth/otp/", {}, format="json", HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # A different real client behind the same proxy has its own allowance.
    response = client.post("/api/v1/auth/otp/", {}, format="json", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert response.status_code == 400


def test_client_ip_reads_the_hop_our_proxy_wrote(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: the header is the client's word
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    # Fewer hops than proxies: the header is not ours, fall back to the socket's peer.
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"


def test_drf_num_proxies_follows_trusted_proxy_count():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


def test_every_scope_used_by_a_view_has_a_production_rate():
    """A scope without a rate makes DRF (and web_rate_limit) raise at the first request
    (ImproperlyConfigured)."""
    from accounts import apis as accounts_apis
    from accounts import views as accounts_views
    from agents import apis as agents_apis
    from agents import views as agents_views
    from bimemall.settings import base
    from claims import apis as claims_apis
    from claims import views as claims_views
    from insurance_requests import apis as requests_apis
    from insurance_requests import views as requests_views
    from policies import apis as policies_apis
    from policies import views as policies_views
    from pricing import apis as pricing_apis
    from pricing import views as pricing_views

    api_modules = (accounts_apis, agents_apis, claims_apis, policies_apis, requests_apis, pricing_apis)
    view_modules = (accounts_views, agents_views, claims_views, policies_views, requests_views, pricing_views)
    api_scopes = {
        value.throttle_scope
        for module in api_modules
        for value in vars(module).values()
        if isinstance(value, type) and getattr(value, "throttle_scope", None)
    }
    web_scopes = {
        value.rate_limit_scope
        for module in view_modules
        for value in vars(module).values()
        if callable(value) and getattr(value, "rate_limit_scope", None)
    }
    everyday = {"auth", "auth_status", "pricing", "requests", "lead_respond", "payments"}
    assert everyday | {"uploads", "claims", "support"} <= api_scopes
    assert everyday - {"auth_status"} | {"uploads", "claims", "support"} <= web_scopes
    assert api_scopes | web_scopes <= set(base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
