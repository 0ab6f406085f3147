"""Two simultaneous tries of one code: exactly one wins (row lock; PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from accounts.services import user_verify_code
from core.exceptions import ApplicationError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MOBILE = "09121234567"


def test_one_code_verified_twice_at_once_signs_in_once(register, sms_outbox):
    register()
    code = sms_outbox[-1].code
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            user_verify_code(mobile=MOBILE, code=code)
            outcomes.append("ok")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]


def test_simultaneous_code_requests_send_one_code(sms_outbox, django_capture_on_commit_callbacks):
    from accounts.models import OneTimeCode
    from accounts.services import user_sign_in_request
    from core.exceptions import RateLimitedError
    from tests.factories import UserFactory

    UserFactory(mobile=MOBILE)
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            user_sign_in_request(mobile=MOBILE, ip="10.0.0.1")
            outcomes.append("sent")
        except RateLimitedError:
            outcomes.append("429")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["429", "429", "429", "sent"]
    assert OneTimeCode.objects.filter(mobile=MOBILE).count() == 1
