"""Simultaneous tries and requests for one mobile: exactly one wins (PostgreSQL row locks and
conditional updates; SQLite would not show the race)."""

import pytest

from accounts.models import OneTimeCode
from accounts.services import user_sign_in_request, user_verify_code
from core.exceptions import ApplicationError, RateLimitedError
from tests.concurrency import run_at_once
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MOBILE = "09121234567"


def test_one_code_verified_four_times_at_once_signs_in_once(register, sms_outbox):
    register()
    code = sms_outbox[-1].code
    results = run_at_once([lambda: user_verify_code(mobile=MOBILE, code=code)] * 4)
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert all(isinstance(result, ApplicationError) for result in results if isinstance(result, Exception))


def test_simultaneous_code_requests_send_one_code():
    UserFactory(mobile=MOBILE)
    results = run_at_once([lambda: user_sign_in_request(mobile=MOBILE, ip="10.0.0.1")] * 4)
    assert sum(isinstance(result, RateLimitedError) for result in results) == 3
    assert OneTimeCode.objects.filter(mobile=MOBILE).count() == 1
