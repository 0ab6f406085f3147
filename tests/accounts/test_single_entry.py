"""Issue 13 point 3, first bullet: one sign-in entry «ورود / ثبت‌نام» by mobile.

A code goes to any valid number; a new number completes a short sign-up after it; the
answers and the status poll are the same for registered and unknown numbers; resend works
at every step.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import MobileThrottle, OneTimeCode, User
from tests.accounts.conftest import REGISTRATION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REGISTERED = "09121111111"
UNKNOWN = "09122222222"


def _allow_next_code(mobile):
    """Move the 60-second resend clock past its limit without sleeping."""
    MobileThrottle.objects.filter(mobile=mobile).update(last_code_at=timezone.now() - timedelta(seconds=61))


@pytest.fixture
def registered():
    return UserFactory(mobile=REGISTERED, first_name="مریم", last_name="احمدی", national_code="0012345679")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a request and then its on-commit callbacks (the SMS dispatch), like production."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


# --- the same answers for registered and unknown numbers -------------------------------


def test_code_request_sends_a_real_code_to_registered_and_unknown_numbers_alike(registered, request_code, sms_outbox):
    """Issue 13 point 3: a sign-in code for an unknown number used to be recorded but never sent."""
    known = request_code(REGISTERED)
    unknown = request_code(UNKNOWN)
    assert known.status_code == unknown.status_code == 202
    known_body, unknown_body = known.json(), unknown.json()
    # request_id is random per request; everything else is the same, word for word.
    assert known_body.pop("request_id") != unknown_body.pop("request_id")
    assert known_body == unknown_body
    assert [sms.to for sms in sms_outbox] == [REGISTERED, UNKNOWN]


def test_api_status_poll_is_identical_for_registered_and_unknown_numbers(
    registered, api_client, sms_outbox, run_on_commit
):
    """Issue 13 point 3: the poll answered "pending" for registered numbers and "sent" for unknown ones."""

    def ask(mobile):
        return api_client.post("/api/v1/auth/otp/", {"mobile": mobile}, format="json").json()["request_id"]

    def poll(request_id):
        response = api_client.get(f"/api/v1/auth/otp/{request_id}/")
        assert response.status_code == 200
        return response.content

    # Before the SMS leaves (the dispatch waits for the commit) …
    known_id, unknown_id = ask(REGISTERED), ask(UNKNOWN)
    assert poll(known_id) == poll(unknown_id)
    assert b"pending" in poll(known_id)
    # … and after it left.
    _allow_next_code(REGISTERED)
    _allow_next_code(UNKNOWN)
    known_id, unknown_id = run_on_commit(ask, REGISTERED), run_on_commit(ask, UNKNOWN)
    assert poll(known_id) == poll(unknown_id)
    assert b"sent" in poll(known_id)


def _without_csrf(html):
    """Each browser has its own CSRF token; it is not part of the answer being compared."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def _web_sign_in(client, mobile):
    return client.post("/accounts/login/", {"mobile": mobile})


def test_web_entry_and_status_poll_are_identical_for_registered_and_unknown_numbers(
    registered, sms_outbox, run_on_commit
):
    """Issue 13 point 3: the same redirect, the same verify page and the same poll fragment."""
    known, unknown = Client(), Client()
    # Before the SMS leaves …
    for client, mobile in ((known, REGISTERED), (unknown, UNKNOWN)):
        response = _web_sign_in(client, mobile)
        assert (response.status_code, response["Location"]) == (302, "/accounts/verify/")
    assert known.get("/accounts/verify/status/").content == unknown.get("/accounts/verify/status/").content
    # … and after it left.
    _allow_next_code(REGISTERED)
    _allow_next_code(UNKNOWN)
    run_on_commit(_web_sign_in, known, REGISTERED)
    run_on_commit(_web_sign_in, unknown, UNKNOWN)
    known_status = known.get("/accounts/verify/status/").content
    assert known_status == unknown.get("/accounts/verify/status/").content
    assert "پیامک فرستاده شد" in known_status.decode()
    known_page = _without_csrf(known.get("/accounts/verify/").content.decode())
    unknown_page = _without_csrf(unknown.get("/accounts/verify/").content.decode())
    # The page names the number it was sent to; nothing else differs.
    assert known_page.replace("۰۹۱۲۱۱۱۱۱۱۱", "…") == unknown_page.replace("۰۹۱۲۲۲۲۲۲۲۲", "…")
    assert [sms.to for sms in sms_outbox] == [REGISTERED, UNKNOWN]


# --- a new number signs up after its code -----------------------------------------------


def test_new_number_signs_in_by_code_and_completes_the_short_sign_up_by_api(
    request_code, verify, api_client, sms_outbox
):
    """Issue 13 point 3: /auth/verify/ for a new number makes the account; PATCH /me/ completes it once."""
    assert request_code(UNKNOWN).status_code == 202
    response = verify(UNKNOWN, sms_outbox[-1].code)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["mobile"] == UNKNOWN
    assert body["user"]["profile_complete"] is False
    user = User.objects.get(mobile=UNKNOWN)
    assert user.is_verified and user.national_code is None

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    completed = api_client.patch("/api/v1/me/", {**REGISTRATION, "national_code": "۰۴۹۹۳۷۰۸۹۹"}, format="json")
    assert completed.status_code == 200, completed.json()
    assert completed.json()["profile_complete"] is True
    assert completed.json()["national_code"] == "0499370899"
    # Set once: the identity fields are locked now.
    again = api_client.patch("/api/v1/me/", {"national_code": "0012345679"}, format="json")
    assert again.status_code == 400 and "national_code" in again.json()
    # Validated as registration validates it.
    user2 = User.objects.create_user(mobile="09123333333", mobile_verified_at=timezone.now())
    api_client.force_authenticate(user2)
    assert api_client.patch("/api/v1/me/", {"national_code": "0499370898"}, format="json").status_code == 400


def test_registered_number_signs_in_with_a_complete_profile(registered, request_code, verify, sms_outbox):
    request_code(REGISTERED)
    body = verify(REGISTERED, sms_outbox[-1].code).json()
    assert body["user"]["profile_complete"] is True
    assert User.objects.filter(mobile=REGISTERED).count() == 1


def test_new_number_signs_up_through_the_pages(client, sms_outbox, run_on_commit):
    """Issue 13 point 3: «ورود / ثبت‌نام» → code → the short sign-up → where they were going."""
    response = run_on_commit(client.post, "/accounts/login/?next=/accounts/tickets/", {"mobile": "۰۹۱۲۲۲۲۲۲۲۲"})
    assert response["Location"] == "/accounts/verify/"
    response = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert (response.status_code, response["Location"]) == (302, "/accounts/sign-up/")
    user = User.objects.get(mobile=UNKNOWN)
    assert user.is_verified and not user.first_name

    page = client.get("/accounts/sign-up/")
    assert page.status_code == 200 and "تکمیل ثبت‌نام" in page.content.decode()
    # Validated as registration validates it: a wrong check digit is refused on the field.
    bad = client.post("/accounts/sign-up/", {**REGISTRATION, "national_code": "0499370898"})
    assert bad.status_code == 200 and bad.context["form"].errors["national_code"]
    done = client.post("/accounts/sign-up/", REGISTRATION)
    assert (done.status_code, done["Location"]) == (302, "/accounts/tickets/")
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.national_code) == ("مریم", "احمدی", "0499370899")
    # Done once: the page steps aside afterwards.
    assert client.get("/accounts/sign-up/")["Location"] == "/accounts/"


def test_registered_number_goes_straight_to_the_dashboard(registered, client, sms_outbox, run_on_commit):
    run_on_commit(client.post, "/accounts/login/", {"mobile": REGISTERED})
    response = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert (response.status_code, response["Location"]) == (302, "/accounts/")


def test_dashboard_points_an_unfinished_sign_up_to_its_page(client):
    user = User.objects.create_user(mobile=UNKNOWN, mobile_verified_at=timezone.now())
    client.force_login(user)
    assert "/accounts/sign-up/" in client.get("/accounts/").content.decode()
    user.first_name, user.last_name, user.national_code = "مریم", "احمدی", "0499370899"
    user.save()
    assert "/accounts/sign-up/" not in client.get("/accounts/").content.decode()


def test_sign_up_page_needs_a_signed_in_person(client):
    assert client.get("/accounts/sign-up/").status_code == 302


def test_register_page_keeps_working(client, sms_outbox, run_on_commit):
    """/accounts/register/ (the long form) still makes the account with its details in one go."""
    response = run_on_commit(client.post, "/accounts/register/", {**REGISTRATION, "mobile": UNKNOWN})
    assert response["Location"] == "/accounts/verify/"
    response = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert response["Location"] == "/accounts/"
    assert User.objects.get(mobile=UNKNOWN).national_code == "0499370899"


# --- resend at every step ----------------------------------------------------------------


def test_web_resend_during_sign_in_waits_60_seconds_then_sends_a_fresh_code(
    registered, client, sms_outbox, run_on_commit
):
    """Issue 13 point 3: resend keeps the flow, honours the wait with a Persian message, and the new code works."""
    run_on_commit(client.post, "/accounts/login/", {"mobile": REGISTERED})
    first = sms_outbox[-1].code

    too_soon = run_on_commit(client.post, "/accounts/verify/resend/", follow=True)
    text = too_soon.content.decode()
    assert "ثانیه دیگر" in text and len(sms_outbox) == 1
    # A refused resend leaves the first code alive.
    assert OneTimeCode.objects.get(mobile=REGISTERED).expires_at > timezone.now()

    _allow_next_code(REGISTERED)
    resent = run_on_commit(client.post, "/accounts/verify/resend/", follow=True)
    assert "کد تازه فرستاده شد" in resent.content.decode()
    assert len(sms_outbox) == 2 and sms_outbox[-1].to == REGISTERED
    fresh = sms_outbox[-1].code
    if fresh != first:
        assert client.post("/accounts/verify/", {"code": first}).status_code == 200  # refused: the old code is dead
    response = client.post("/accounts/verify/", {"code": fresh})
    assert response["Location"] == "/accounts/"


def test_web_resend_for_a_new_number_sends_a_fresh_code(client, sms_outbox, run_on_commit):
    """Issue 13 point 3: resend used to send nothing for an unknown number, say it did, and kill the first code."""
    run_on_commit(client.post, "/accounts/login/", {"mobile": UNKNOWN})
    _allow_next_code(UNKNOWN)
    run_on_commit(client.post, "/accounts/verify/resend/")
    assert [sms.to for sms in sms_outbox] == [UNKNOWN, UNKNOWN]
    response = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert response["Location"] == "/accounts/sign-up/"


def test_web_resend_during_registration_keeps_the_registration(client, sms_outbox, run_on_commit):
    """Issue 13 point 3: resend during sign-up sends a fresh registration code; the details are kept."""
    run_on_commit(client.post, "/accounts/register/", {**REGISTRATION, "mobile": UNKNOWN})
    _allow_next_code(UNKNOWN)
    run_on_commit(client.post, "/accounts/verify/resend/")
    assert [sms.to for sms in sms_outbox] == [UNKNOWN, UNKNOWN]
    latest = OneTimeCode.objects.filter(mobile=UNKNOWN).latest("created_at")
    assert latest.purpose == OneTimeCode.Purpose.REGISTER
    response = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert response["Location"] == "/accounts/"
    user = User.objects.get(mobile=UNKNOWN)
    assert (user.first_name, user.national_code) == ("مریم", "0499370899")


def test_api_resend_sends_a_fresh_code_that_works(request_code, register, verify, sms_outbox):
    """Issue 13 point 3: asking /auth/otp/ (or /auth/register/) again after 60 s sends a new code."""
    request_code(UNKNOWN)
    assert request_code(UNKNOWN).status_code == 429
    _allow_next_code(UNKNOWN)
    assert request_code(UNKNOWN).status_code == 202
    assert [sms.to for sms in sms_outbox] == [UNKNOWN, UNKNOWN]
    assert verify(UNKNOWN, sms_outbox[-1].code).status_code == 200

    register(mobile="09124444444")
    _allow_next_code("09124444444")
    assert register(mobile="09124444444").status_code == 201
    assert verify("09124444444", sms_outbox[-1].code).json()["user"]["profile_complete"] is True
