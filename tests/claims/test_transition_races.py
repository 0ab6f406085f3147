"""Two staff decisions on one claim at the same moment (issue 13 point 7; PostgreSQL, real
transactions): every transition re-reads the claim under its row lock and re-checks the
status there, so the outcome is the one of some serial order. A double approval or a double
payout makes one change and the other gets a 409; approve against reject ends rejected
either way; the claim's history (its audit rows) has one row per change actually made."""

import pytest

from claims import services
from claims.models import Claim
from core.exceptions import ConflictError
from core.models import AuditLog
from tests.claims.rule_steps import ago, assessed, file
from tests.concurrency import run_at_once
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import make_agent, record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _assessed_claim():
    agent = make_agent()
    policy = record(agent, UserFactory(), issued_on=ago(60))
    return assessed(file(policy.customer, policy, cause="fire", occurred_on=ago(3)), assessed_loss=5_000_000)


def _copies(claim, n=2):
    """Each request holds the claim as it read it, before either decision committed."""
    return [Claim.objects.get(pk=claim.pk) for _ in range(n)]


def _history(claim, action):
    return AuditLog.objects.filter(action=action, target_id=str(claim.pk)).count()


def _split(results):
    made = [result for result in results if isinstance(result, Claim)]
    refused = [result for result in results if isinstance(result, ConflictError)]
    assert len(made) + len(refused) == len(results), results
    return made, refused


def test_two_simultaneous_approvals_approve_once(sms_outbox):
    claim = _assessed_claim()
    staff = [StaffFactory(), StaffFactory()]

    results = run_at_once(
        [
            lambda copy=copy, user=user: services.claim_approve(user=user, claim=copy, reference="M-1")
            for copy, user in zip(_copies(claim), staff, strict=True)
        ]
    )

    made, refused = _split(results)
    assert (len(made), len(refused)) == (1, 1), results
    assert refused[0].status_code == 409
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert _history(claim, "claim.approve") == 1


def test_two_simultaneous_payouts_pay_once(sms_outbox):
    claim = _assessed_claim()
    staff = StaffFactory()
    claim = services.claim_approve(user=staff, claim=claim, reference="M-1")
    claim = services.claim_order_payment(user=staff, claim=claim)
    claim = services.claim_undertaking_accept(user=claim.customer, claim=claim)

    results = run_at_once(
        [
            lambda copy=copy, reference=reference: services.claim_mark_paid(user=staff, claim=copy, reference=reference)
            for copy, reference in zip(_copies(claim), ["TRX-A", "TRX-B"], strict=True)
        ]
    )

    made, refused = _split(results)
    assert (len(made), len(refused)) == (1, 1), results
    assert refused[0].status_code == 409
    claim.refresh_from_db()
    assert (claim.status, claim.paid_amount, claim.payment_reference) == (
        Claim.Status.PAID,
        made[0].paid_amount,
        made[0].payment_reference,
    )
    assert _history(claim, "claim.pay") == 1


def test_approve_and_reject_at_once_end_as_some_serial_order_would(sms_outbox):
    claim = _assessed_claim()
    staff = [StaffFactory(), StaffFactory()]
    approve_copy, reject_copy = _copies(claim)

    approved, rejected = run_at_once(
        [
            lambda: services.claim_approve(user=staff[0], claim=approve_copy, reference="M-1"),
            lambda: services.claim_reject(user=staff[1], claim=reject_copy, reason="خارج از پوشش"),
        ]
    )

    # Rejecting is allowed on an approved (unpaid) claim, approving is not allowed on a rejected one.
    assert isinstance(rejected, Claim), rejected
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_reason) == (Claim.Status.REJECTED, "خارج از پوشش")
    assert _history(claim, "claim.reject") == 1
    if isinstance(approved, Claim):
        # Approved first: the rejection saw it and says so.
        reject_row = AuditLog.objects.get(action="claim.reject", target_id=str(claim.pk))
        assert reject_row.data["from"] == Claim.Status.APPROVED
        assert _history(claim, "claim.approve") == 1
    else:
        assert isinstance(approved, ConflictError) and approved.status_code == 409, approved
        assert _history(claim, "claim.approve") == 0
