"""The real `kavenegar` package, its HTTP faked at the transport by `responses`."""

import logging
from urllib.parse import parse_qs

import pytest
import requests
import responses

from accounts.models import OneTimeCode
from sms.backends.kavenegar import KavenegarBackend
from sms.exceptions import SmsPermanentError, SmsTransientError

API_KEY = "5A3B-SECRET-KEY-7788"
LOOKUP_URL = f"https://api.kavenegar.com/v1/{API_KEY}/verify/lookup.json"
SEND_URL = f"https://api.kavenegar.com/v1/{API_KEY}/sms/send.json"


def _answer(status, message="", entries=None):
    return {"return": {"status": status, "message": message}, "entries": entries or []}


@pytest.fixture
def kavenegar(settings):
    settings.SMS_BACKEND = "kavenegar"
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.KAVENEGAR_OTP_TEMPLATE = "bimemall-verify"
    return KavenegarBackend()


@responses.activate
def test_code_goes_through_verify_lookup_with_template_receptor_and_token(kavenegar):
    responses.post(LOOKUP_URL, json=_answer(200, "تایید شد", [{"messageid": 1}]))
    kavenegar.send_code(to="09121234567", code="123456")
    sent = parse_qs(responses.calls[0].request.body)
    assert sent == {"receptor": ["09121234567"], "token": ["123456"], "template": ["bimemall-verify"]}


@responses.activate
def test_other_texts_go_through_sms_send(kavenegar):
    responses.post(SEND_URL, json=_answer(200, "تایید شد", [{"messageid": 2}]))
    kavenegar.send_text(to="09121234567", text="سلام")
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["receptor"] == ["09121234567"] and sent["message"] == ["سلام"]


@responses.activate
def test_every_call_carries_a_timeout_of_at_most_10_seconds(kavenegar):
    responses.post(LOOKUP_URL, json=_answer(200))
    kavenegar.send_code(to="09121234567", code="123456")
    timeout = responses.calls[0].request.req_kwargs["timeout"]
    assert timeout is not None and sum(timeout) <= 10


@responses.activate
def test_a_timeout_is_transient_and_keeps_the_key_secret(kavenegar):
    responses.post(LOOKUP_URL, body=requests.exceptions.ReadTimeout(f"read timed out: {LOOKUP_URL}"))
    with pytest.raises(SmsTransientError) as caught:
        kavenegar.send_code(to="09121234567", code="123456")
    assert API_KEY not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("status", [401, 403, 418, 424, 426, 431, 432])
@responses.activate
def test_refusals_are_permanent_and_never_retried(kavenegar, status):
    responses.post(LOOKUP_URL, json=_answer(status, "خطا"), status=status)
    with pytest.raises(SmsPermanentError) as caught:
        kavenegar.send_code(to="09121234567", code="123456")
    assert caught.value.status == status
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize("status", [409, 451])
@responses.activate
def test_overload_answers_are_transient(kavenegar, status):
    responses.post(LOOKUP_URL, json=_answer(status, "خطا"), status=status)
    with pytest.raises(SmsTransientError):
        kavenegar.send_code(to="09121234567", code="123456")


def test_repr_hides_the_key(kavenegar):
    assert API_KEY not in repr(kavenegar)


# --- through the delivery task -------------------------------------------------------


@pytest.fixture
def kavenegar_settings(settings):
    settings.SMS_BACKEND = "kavenegar"
    settings.KAVENEGAR_API_KEY = API_KEY


@pytest.mark.django_db
@responses.activate
def test_418_no_credit_fails_the_code_once_and_lets_the_user_retry(
    kavenegar_settings, api_client, django_capture_on_commit_callbacks
):
    responses.post(LOOKUP_URL, json=_answer(418, "اعتبار کافی نیست"), status=418)
    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post(
            "/api/v1/auth/register/",
            {"mobile": "09121234567", "first_name": "a", "last_name": "b", "national_code": "0499370899"},
            format="json",
        )
    assert first.status_code == 201
    assert len(responses.calls) == 1  # not retried
    status = api_client.get(f"/api/v1/auth/otp/{first.json()['request_id']}/").json()
    assert status["delivery"] == "failed" and status["detail"]
    # The 60-second wait is waived after a failed delivery.
    responses.replace(responses.POST, LOOKUP_URL, json=_answer(200))
    with django_capture_on_commit_callbacks(execute=True):
        again = api_client.post(
            "/api/v1/auth/register/",
            {"mobile": "09121234567", "first_name": "a", "last_name": "b", "national_code": "0499370899"},
            format="json",
        )
    assert again.status_code == 201
    assert OneTimeCode.objects.get(public_id=again.json()["request_id"]).delivery == "sent"


@pytest.mark.django_db
@responses.activate
def test_424_missing_template_is_not_retried(kavenegar_settings, api_client, django_capture_on_commit_callbacks):
    responses.post(LOOKUP_URL, json=_answer(424, "الگو یافت نشد"), status=424)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(
            "/api/v1/auth/register/",
            {"mobile": "09121234567", "first_name": "a", "last_name": "b", "national_code": "0499370899"},
            format="json",
        )
    assert len(responses.calls) == 1
    assert OneTimeCode.objects.get().delivery == "failed"


@pytest.mark.django_db
@responses.activate
def test_409_is_retried_then_delivered(kavenegar_settings, api_client, django_capture_on_commit_callbacks, caplog):
    responses.post(LOOKUP_URL, json=_answer(409, "خطای سرور"), status=409)
    responses.post(LOOKUP_URL, json=_answer(200))
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(
            "/api/v1/auth/register/",
            {"mobile": "09121234567", "first_name": "a", "last_name": "b", "national_code": "0499370899"},
            format="json",
        )
    assert len(responses.calls) == 2
    row = OneTimeCode.objects.get()
    assert row.delivery == "sent"
    # The code that counts is the one of the successful try.
    delivered = parse_qs(responses.calls[1].request.body)["token"][0]
    assert (
        api_client.post("/api/v1/auth/verify/", {"mobile": "09121234567", "code": delivered}, format="json").status_code
        == 200
    )
    assert API_KEY not in caplog.text
    assert delivered not in caplog.text


@pytest.mark.django_db
@responses.activate
def test_timeouts_until_retries_run_out_mark_the_code_failed(
    kavenegar_settings, api_client, django_capture_on_commit_callbacks, caplog
):
    responses.post(LOOKUP_URL, body=requests.exceptions.ConnectTimeout(f"timeout {LOOKUP_URL}"))
    from tests.factories import UserFactory

    UserFactory(mobile="09127654321")
    # A registered and an unregistered number are treated alike (one sign-in entry,
    # issue 13 point 3): each gets the first try and three retries, then reads as failed.
    for mobile in ("09121234567", "09127654321"):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post("/api/v1/auth/otp/", {"mobile": mobile}, format="json")
        assert response.status_code == 202
    assert len(responses.calls) == 8
    assert set(OneTimeCode.objects.values_list("delivery", flat=True)) == {"failed"}
    assert API_KEY not in caplog.text
