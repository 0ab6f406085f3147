"""Steps of the claim flow through the services, for the rule tests (tests/claims/test_rule_*.py)."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from claims import services
from claims.models import Claim, ClaimDocument
from claims.selectors import required_documents_for
from tests.factories import StaffFactory


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file(customer, policy, *, cause, occurred_on, loss=100_000_000, **kwargs) -> Claim:
    return services.claim_file(
        user=customer,
        policy=policy,
        occurred_on=occurred_on,
        description="شرح حادثه",
        estimated_loss=loss,
        cause=cause,
        **kwargs,
    )


def documents_complete(claim: Claim, staff=None) -> Claim:
    """Every checklist document as a row (the upload path has its own tests), then the step."""
    for doc in required_documents_for(claim):
        ClaimDocument.objects.create(claim=claim, kind=doc.code, file="x.png", content_type="image/png", size=1)
    return services.claim_documents_complete(user=staff or StaffFactory(), claim=claim)


def assessed(claim: Claim, *, assessed_loss: int, staff=None, **kwargs) -> Claim:
    staff = staff or StaffFactory()
    documents_complete(claim, staff)
    return services.claim_assess(user=staff, claim=claim, assessed_loss=assessed_loss, **kwargs)


def paid(claim: Claim, *, staff=None) -> Claim:
    """From assessed to paid (approve, order, undertaking, pay)."""
    staff = staff or StaffFactory()
    claim = services.claim_approve(user=staff, claim=claim, reference="M-1")
    claim = services.claim_order_payment(user=staff, claim=claim)
    claim = services.claim_undertaking_accept(user=claim.customer, claim=claim)
    return services.claim_mark_paid(user=staff, claim=claim, reference="TRX-1")


def ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
