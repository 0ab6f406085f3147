"""Two renewals of one policy at the same moment (a double submit; PostgreSQL, real transactions):
exactly one renewal is made, one endorsement or one new policy with its one set of instalments,
and the other submit gets a 409. The same short renewal submitted again after the first one
committed is a 409 too (any database)."""

import pytest

from core.exceptions import ConflictError
from policies import services
from policies.models import Endorsement, Installment, Policy
from tests.concurrency import run_at_once
from tests.factories import UserFactory
from tests.policies.helpers import days, make_agent, record

HOME = {"property_type": "residential", "postal_code": "1234567890", "unit": "4"}


def _policy():
    agent = make_agent()
    return record(agent, UserFactory(), params=HOME)


def _copies(policy, n=2):
    """Each submit holds the policy as its request read it, before either renewal committed."""
    return [Policy.objects.get(pk=policy.pk) for _ in range(n)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_short_renewals_make_one_endorsement_and_one_instalment(sms_outbox):
    policy = _policy()
    ends_on = policy.ends_on + days(90)
    instalments_before = Installment.objects.filter(policy=policy).count()
    results = run_at_once(
        [
            lambda copy=copy: services.policy_renew(user=copy.agent.user, policy=copy, ends_on=ends_on)
            for copy in _copies(policy)
        ]
    )
    made = [result for result in results if isinstance(result, Endorsement)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert refused[0].status_code == 409
    assert Endorsement.objects.filter(policy=policy, kind=Endorsement.Kind.RENEWAL).count() == 1
    assert Installment.objects.filter(policy=policy).count() == instalments_before + 1
    policy.refresh_from_db()
    assert policy.ends_on == ends_on


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_yearly_renewals_make_one_new_policy_and_one_schedule(sms_outbox):
    policy = _policy()
    results = run_at_once(
        [
            lambda copy=copy, number=number: services.policy_renew(
                user=copy.agent.user,
                policy=copy,
                ends_on=copy.ends_on + days(365),
                premium=12_000_000,
                policy_number=number,
                payment_plan=Policy.PaymentPlan.INSTALLMENTS,
                installments_count=4,
            )
            for copy, number in zip(_copies(policy), ["RENEWED-A", "RENEWED-B"], strict=True)
        ]
    )
    made = [result for result in results if isinstance(result, Policy)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert refused[0].status_code == 409
    renewals = Policy.objects.filter(renewal_of=policy)
    assert renewals.count() == 1
    assert Installment.objects.filter(policy__renewal_of=policy).count() == 5  # the down payment and four
    assert not Endorsement.objects.filter(policy=policy).exists()


@pytest.mark.django_db
def test_the_same_short_renewal_submitted_again_later_is_a_409_not_a_second_endorsement():
    policy = _policy()
    ends_on = policy.ends_on + days(90)
    services.policy_renew(user=policy.agent.user, policy=policy, ends_on=ends_on)
    again = Policy.objects.get(pk=policy.pk)  # the second request reads the policy after the first
    with pytest.raises(ConflictError):
        services.policy_renew(user=again.agent.user, policy=again, ends_on=ends_on)
    assert Endorsement.objects.filter(policy=policy, kind=Endorsement.Kind.RENEWAL).count() == 1
