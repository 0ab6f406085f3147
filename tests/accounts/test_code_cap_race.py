"""Issue 13, point 3: the wrong-code cap holds under concurrency. The cap is read under the
same row lock that weighs the guess, so N simultaneous wrong guesses weigh at most the cap
(PostgreSQL row locks; SQLite serialises writers and would not show the race)."""

import pytest
from django.conf import settings
from django.db.models import Sum

from accounts.models import OneTimeCode, User
from accounts.services import user_verify_code
from core.exceptions import ApplicationError, RateLimitedError
from tests.accounts.conftest import wrong
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MOBILE = "09121234567"
GUESSES = 20


def test_twenty_simultaneous_wrong_codes_weigh_at_most_the_cap(register, sms_outbox):
    register()
    code = sms_outbox[-1].code
    cap = settings.OTP_MAX_ATTEMPTS
    results = run_at_once([lambda: user_verify_code(mobile=MOBILE, code=wrong(code))] * GUESSES)

    weighed = OneTimeCode.objects.filter(mobile=MOBILE).aggregate(total=Sum("attempts"))["total"]
    # At most the cap (the figure before the fix: 20 of 20); serialised, exactly the cap.
    assert weighed <= cap, f"{weighed} of {GUESSES} simultaneous wrong guesses weighed against a cap of {cap}"
    assert weighed == cap
    assert all(isinstance(result, ApplicationError) for result in results)
    assert sum(isinstance(result, RateLimitedError) for result in results) == GUESSES - weighed

    with pytest.raises(RateLimitedError):
        user_verify_code(mobile=MOBILE, code=code)
    assert not User.objects.filter(mobile=MOBILE).exists()
    assert OneTimeCode.objects.get(mobile=MOBILE).consumed_at is None
