"""Money and policy changes submitted twice or side by side at the same moment (issue 13 point 7;
PostgreSQL, real transactions). Each change re-reads the policy under its row lock and decides
there: the same instalment paid twice at once is recorded once and the other submit gets a 409,
and so does "the next unpaid one" submitted twice with one receipt number; two endorsements at
once are numbered one after the other, the second one sees the first (its "before" is the first
one's "after"), and each premium difference is due exactly once."""

import pytest

from core.exceptions import ConflictError
from core.models import AuditLog
from policies import services
from policies.models import Endorsement, Installment, Policy
from tests.concurrency import run_at_once
from tests.factories import UserFactory
from tests.policies.helpers import days, make_agent, record, today


def _instalment_policy(agent):
    return record(agent, UserFactory(), paid=False, payment_plan=Policy.PaymentPlan.INSTALLMENTS, installments_count=4)


def _copies(policy, n=2):
    """Each submit holds the policy as its request read it, before either change committed."""
    return [Policy.objects.get(pk=policy.pk) for _ in range(n)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_instalment_paid_twice_at_once_is_recorded_once(sms_outbox):
    agent = make_agent()
    policy = _instalment_policy(agent)
    assert not Installment.objects.filter(policy=policy, paid_at__isnull=False).exists()

    results = run_at_once(
        [
            lambda copy=copy, reference=reference: services.installment_pay(
                user=agent.user, policy=copy, number=0, paid_on=today(), reference=reference
            )
            for copy, reference in zip(_copies(policy), ["FISH-1", "FISH-2"], strict=True)
        ]
    )

    made = [result for result in results if isinstance(result, Installment)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert (refused[0].status_code, refused[0].code) == (409, "already_paid")
    paid = Installment.objects.get(policy=policy, number=0)
    assert paid.reference == made[0].reference
    assert Installment.objects.filter(policy=policy, paid_at__isnull=False).count() == 1
    assert AuditLog.objects.filter(action="policy.installment_pay", target_id=str(policy.pk)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_next_unpaid_instalment_submitted_twice_at_once_with_one_receipt_is_paid_once(sms_outbox):
    """The API's "the next unpaid one" (no `number`): before, a double submit paid two instalments."""
    agent = make_agent()
    policy = _instalment_policy(agent)

    results = run_at_once(
        [
            lambda copy=copy: services.installment_pay(
                user=agent.user, policy=copy, paid_on=today(), reference="FISH-9"
            )
            for copy in _copies(policy)
        ]
    )

    made = [result for result in results if isinstance(result, Installment)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert (refused[0].status_code, refused[0].code) == (409, "duplicate_reference")
    assert list(Installment.objects.filter(policy=policy, paid_at__isnull=False).values_list("number", flat=True)) == [
        0
    ]


@pytest.mark.django_db
def test_a_receipt_already_recorded_on_the_policy_is_a_409_and_another_pays_the_next_instalment():
    agent = make_agent()
    policy = _instalment_policy(agent)
    services.installment_pay(user=agent.user, policy=policy, paid_on=today(), reference="FISH-1")

    with pytest.raises(ConflictError) as refused:
        services.installment_pay(user=agent.user, policy=policy, paid_on=today(), reference=" FISH-1 ")
    second = services.installment_pay(user=agent.user, policy=policy, paid_on=today(), reference="FISH-2")
    third = services.installment_pay(user=agent.user, policy=policy, paid_on=today())
    fourth = services.installment_pay(user=agent.user, policy=policy, paid_on=today())

    assert (refused.value.status_code, refused.value.code, refused.value.field) == (
        409,
        "duplicate_reference",
        "reference",
    )
    assert [second.number, third.number, fourth.number] == [1, 2, 3]  # no reference, no check


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_endorsements_at_once_are_serialised_and_each_difference_is_due_once(sms_outbox):
    agent = make_agent()
    policy = record(agent, UserFactory(), issued_on=today() - days(10), sum_insured=500_000_000)
    instalments_before = list(Installment.objects.filter(policy=policy).values_list("number", "amount"))
    raises = {600_000_000: 200_000, 700_000_000: 300_000}

    results = run_at_once(
        [
            lambda copy=copy, sum_insured=sum_insured, delta=delta: services.endorsement_issue(
                user=agent.user,
                policy=copy,
                kind=Endorsement.Kind.ADDITIONAL,
                changes={"sum_insured": sum_insured},
                premium_delta=delta,
                effective_on=today(),
            )
            for copy, (sum_insured, delta) in zip(_copies(policy), raises.items(), strict=True)
        ]
    )

    assert all(isinstance(result, Endorsement) for result in results), results
    first, second = Endorsement.objects.filter(policy=policy).order_by("number")
    assert (first.number, second.number) == (1, 2)
    # The second was decided on the policy as the first left it.
    assert first.previous["sum_insured"] == 500_000_000
    assert second.previous["sum_insured"] == first.changes["sum_insured"]
    policy.refresh_from_db()
    assert policy.sum_insured == second.changes["sum_insured"]
    added = Installment.objects.filter(policy=policy, endorsement__isnull=False).order_by("number")
    assert sorted((row.endorsement.number, row.amount) for row in added) == sorted(
        [(first.number, raises[first.changes["sum_insured"]]), (second.number, raises[second.changes["sum_insured"]])]
    )
    assert [row.number for row in added] == [len(instalments_before), len(instalments_before) + 1]
    assert AuditLog.objects.filter(action="policy.endorsement", target_id=str(policy.pk)).count() == 2
