"""Issue 13 point 3, third bullet: wrong guesses from other addresses cannot lock the owner out.

A code dies after 5 wrong tries (API.md), whoever made them; the owner asks for a fresh
one after 60 s. Wrong guesses are counted per client address (for one mobile, and for all
mobiles together), so the attacker's address runs out of guesses, not the owner's.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import MobileThrottle, OneTimeCode, User
from tests.accounts.conftest import wrong
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OWNER = "09121234567"
ATTACKER_ADDRESS = "203.0.113.66"
OWNER_ADDRESS = "198.51.100.7"


def _allow_next_code(mobile=OWNER):
    """Move the 60-second resend clock past its limit without sleeping."""
    MobileThrottle.objects.filter(mobile=mobile).update(last_code_at=timezone.now() - timedelta(seconds=61))


@pytest.fixture
def verify_from(api_client):
    def do(mobile, code, address):
        return api_client.post(
            "/api/v1/auth/verify/", {"mobile": mobile, "code": code}, format="json", REMOTE_ADDR=address
        )

    return do


def test_attackers_wrong_guesses_do_not_lock_the_owner_out(request_code, verify_from, sms_outbox):
    """Issue 13 point 3: five wrong guesses from anyone used to lock the owner out for an hour."""
    UserFactory(mobile=OWNER)
    request_code(OWNER, REMOTE_ADDR=OWNER_ADDRESS)
    first = sms_outbox[-1].code
    for _ in range(5):
        assert verify_from(OWNER, wrong(first), ATTACKER_ADDRESS).status_code == 400
    # The fifth wrong try killed that code, for everyone (API.md: then the code is dead).
    dead = verify_from(OWNER, first, OWNER_ADDRESS)
    assert dead.status_code == 429 and int(dead["Retry-After"]) >= 1

    # After the 60-second wait the owner gets a fresh code from their own address and signs in.
    _allow_next_code()
    assert request_code(OWNER, REMOTE_ADDR=OWNER_ADDRESS).status_code == 202
    fresh = sms_outbox[-1].code
    signed_in = verify_from(OWNER, fresh, OWNER_ADDRESS)
    assert signed_in.status_code == 200 and signed_in.json()["token"]


def test_attackers_address_is_refused_with_a_persian_429_and_cannot_touch_the_fresh_code(
    request_code, verify_from, sms_outbox
):
    """Issue 13 point 3: the attacker exhausts their own address's budget, not the owner's."""
    UserFactory(mobile=OWNER)
    request_code(OWNER, REMOTE_ADDR=OWNER_ADDRESS)
    for _ in range(5):
        verify_from(OWNER, wrong(sms_outbox[-1].code), ATTACKER_ADDRESS)
    _allow_next_code()
    request_code(OWNER, REMOTE_ADDR=OWNER_ADDRESS)
    fresh = sms_outbox[-1].code

    refused = verify_from(OWNER, wrong(fresh), ATTACKER_ADDRESS)
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3601
    assert "نشانی اینترنتی" in refused.json()["detail"]
    # Even the right code is refused from the spent address; the guess never reached the code.
    assert verify_from(OWNER, fresh, ATTACKER_ADDRESS).status_code == 429
    assert OneTimeCode.objects.filter(mobile=OWNER).latest("created_at").attempts == 0
    assert verify_from(OWNER, fresh, OWNER_ADDRESS).status_code == 200


def test_owner_typos_from_their_own_address_do_not_block_other_addresses(request_code, verify_from, sms_outbox):
    UserFactory(mobile=OWNER)
    request_code(OWNER, REMOTE_ADDR=OWNER_ADDRESS)
    for _ in range(5):
        verify_from(OWNER, wrong(sms_outbox[-1].code), OWNER_ADDRESS)
    _allow_next_code()
    request_code(OWNER, REMOTE_ADDR="192.0.2.10")
    assert verify_from(OWNER, sms_outbox[-1].code, OWNER_ADDRESS).status_code == 429
    assert verify_from(OWNER, sms_outbox[-1].code, "192.0.2.10").status_code == 200


def test_one_address_guessing_across_many_numbers_runs_out(request_code, verify_from, sms_outbox, settings):
    """Issue 13 point 3: the per-address budget over all mobiles bounds spraying guesses across numbers."""
    settings.OTP_WRONG_CODES_PER_ADDRESS = 3
    mobiles = [f"0912000000{n}" for n in range(4)]
    for mobile in mobiles:
        request_code(mobile, REMOTE_ADDR=OWNER_ADDRESS)
    codes = {sms.to: sms.code for sms in sms_outbox}
    for mobile in mobiles[:3]:
        assert verify_from(mobile, wrong(codes[mobile]), ATTACKER_ADDRESS).status_code == 400
    assert verify_from(mobiles[3], codes[mobiles[3]], ATTACKER_ADDRESS).status_code == 429
    assert verify_from(mobiles[3], codes[mobiles[3]], OWNER_ADDRESS).status_code == 200


def test_code_dies_after_five_wrong_tries_from_five_addresses(request_code, verify_from, sms_outbox):
    """API.md: at most 5 wrong tries per code, whatever addresses they come from."""
    request_code(OWNER)
    code = sms_outbox[-1].code
    for n in range(5):
        assert verify_from(OWNER, wrong(code), f"192.0.2.{n + 1}").status_code == 400
    assert verify_from(OWNER, code, "192.0.2.99").status_code == 429
    assert not User.objects.filter(mobile=OWNER).exists()


def test_web_verify_refuses_a_spent_address_with_a_persian_429(client, request_code, sms_outbox):
    """The page answers 429 with Retry-After and the Persian reason on the form."""
    UserFactory(mobile=OWNER)
    client.post("/accounts/login/", {"mobile": OWNER}, REMOTE_ADDR=ATTACKER_ADDRESS)
    for _ in range(5):
        client.post("/accounts/verify/", {"code": "000000"}, REMOTE_ADDR=ATTACKER_ADDRESS)
    response = client.post("/accounts/verify/", {"code": "000000"}, REMOTE_ADDR=ATTACKER_ADDRESS)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "تلاش نادرست" in response.content.decode() or "کد نادرست" in response.content.decode()
