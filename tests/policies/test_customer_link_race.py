"""Issue 13 point 1 under concurrency (PostgreSQL row locks; SQLite serialises writers and
would not show the race): simultaneous requests for one number make one pending link and
one SMS; simultaneous wrong codes weigh at most the cap, because each guess is weighed
under the link's row lock."""

import re

import pytest

from core.exceptions import ApplicationError
from policies import relationships
from policies.models import CustomerLink
from tests.concurrency import run_at_once
from tests.factories import UserFactory
from tests.policies.helpers import make_agent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CALLS = 10


def test_simultaneous_requests_for_one_number_make_one_link_and_one_sms(sms_outbox):
    agent = make_agent()
    customer = UserFactory()

    results = run_at_once(
        [lambda: relationships.customer_link_request(user=agent.user, mobile=customer.mobile)] * CALLS
    )

    assert not [result for result in results if isinstance(result, Exception)]
    assert {result.pk for result in results} == set(CustomerLink.objects.values_list("pk", flat=True))
    assert CustomerLink.objects.count() == 1
    assert len(sms_outbox) == 1


def test_simultaneous_wrong_codes_weigh_at_most_the_cap(sms_outbox):
    agent = make_agent()
    customer = UserFactory()
    link = relationships.customer_link_request(user=agent.user, mobile=customer.mobile)
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    results = run_at_once(
        [lambda: relationships.customer_link_confirm_code(user=agent.user, link_id=link.pk, code=wrong)] * CALLS
    )

    assert all(isinstance(result, ApplicationError) for result in results)
    link.refresh_from_db()
    assert link.code_attempts == relationships.LINK_CODE_MAX_ATTEMPTS
    with pytest.raises(ApplicationError):
        relationships.customer_link_confirm_code(user=agent.user, link_id=link.pk, code=code)
