"""The SMS provider (Kavenegar, faked at its real URL) timing out or answering 5xx while a
sign-in code goes out: the caller's request still succeeds, the code is marked failed with
a Persian message the verify page shows, a new code can be asked for at once, and the
second try makes exactly one user (nothing lost, nothing doubled)."""

import re

import pytest
import requests
import responses
from rest_framework.test import APIClient

from accounts.models import OneTimeCode, User
from sms.backends import locmem
from tests.factories import _national_code

API_KEY = "FAULT-TEST-KEY-0001"
LOOKUP_URL = f"https://api.kavenegar.com/v1/{API_KEY}/verify/lookup.json"
MOBILE = "09125550001"
REGISTRATION = {"mobile": MOBILE, "first_name": "نرگس", "last_name": "امینی", "national_code": _national_code(9090)}
PERSIAN = "\u0600-\u06ff"


@pytest.fixture
def kavenegar(settings):
    settings.SMS_BACKEND = "kavenegar"
    settings.KAVENEGAR_API_KEY = API_KEY


def _ok(entries=1):
    return {"return": {"status": 200, "message": "تایید شد"}, "entries": [{"messageid": n} for n in range(entries)]}


FAULTS = {
    "timeout": {"body": requests.exceptions.ReadTimeout("read timed out")},
    "connection refused": {"body": requests.exceptions.ConnectionError("connection refused")},
    "HTTP 502": {"status": 502, "body": "<html>Bad Gateway</html>", "content_type": "text/html"},
    "HTTP 503": {"status": 503, "body": "Service Unavailable"},
}


def _status(client, request_id):
    response = client.get(f"/api/v1/auth/otp/{request_id}/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", list(FAULTS))
@responses.activate
def test_a_failing_provider_leaves_a_persian_message_and_a_retry_that_works(kavenegar, fault):
    responses.post(LOOKUP_URL, **FAULTS[fault])
    client = APIClient()

    first = client.post("/api/v1/auth/register/", REGISTRATION, format="json")
    # The web request does not wait for, nor fail with, the provider.
    assert first.status_code == 201, first.content
    status = _status(client, first.json()["request_id"])
    assert status["delivery"] == "failed"
    assert re.search(f"[{PERSIAN}]", status["detail"]), status
    assert len(responses.calls) >= 1  # the provider was really asked (and retried)
    code = OneTimeCode.objects.get(public_id=first.json()["request_id"])
    assert code.code_hash == "" and code.expires_at is not None  # nothing anyone could type
    assert not User.objects.filter(mobile=MOBILE).exists()

    # The provider is back; the user asks again at once: no 60-second wait after a failure.
    responses.replace(responses.POST, LOOKUP_URL, json=_ok())
    again = client.post("/api/v1/auth/register/", REGISTRATION, format="json")
    assert again.status_code == 201, again.content
    assert _status(client, again.json()["request_id"])["delivery"] == "sent"
    sent = responses.calls[-1].request.body
    plain = re.search(r"token=(\d{6})", sent).group(1)

    verified = client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": plain}, format="json")
    assert verified.status_code == 200, verified.content
    assert User.objects.filter(mobile=MOBILE).count() == 1
    assert OneTimeCode.objects.filter(mobile=MOBILE).count() == 2
    # Verifying again with the same code does not make a second user or a second sign-in.
    assert client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": plain}, format="json").status_code == 400
    assert User.objects.filter(mobile=MOBILE).count() == 1


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_a_provider_that_recovers_within_the_retries_delivers_one_code(kavenegar):
    """A timeout, then success: the retry sends one code, and only the code of that try
    (each try draws a new one) can be used."""
    responses.post(LOOKUP_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    responses.post(LOOKUP_URL, json=_ok())
    client = APIClient()
    first = client.post("/api/v1/auth/register/", REGISTRATION, format="json")
    assert first.status_code == 201
    assert _status(client, first.json()["request_id"])["delivery"] == "sent"
    assert len(responses.calls) == 2
    tried = [re.search(r"token=(\d{6})", call.request.body).group(1) for call in responses.calls]
    if tried[0] != tried[1]:
        refused = client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": tried[0]}, format="json")
        assert refused.status_code == 400
    verified = client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": tried[1]}, format="json")
    assert verified.status_code == 200, verified.content
    assert User.objects.filter(mobile=MOBILE).count() == 1
    assert locmem.outbox == []  # everything went through Kavenegar
