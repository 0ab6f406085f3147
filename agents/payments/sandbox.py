"""A development gateway: a page of ours where the payer chooses success, failure or cancel.

It keeps its own ledger (SandboxPayment) and answers `verify` like a bank would:
paid once, "already verified" on a repeat, and not paid when the amount differs.
"""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agents.models import SandboxPayment
from agents.payments.base import GatewayError, PaymentStart, VerifyResult


class SandboxGateway:
    name = "sandbox"

    def request(self, *, amount: int, description: str, callback_url: str, mobile: str, order_id: str) -> PaymentStart:
        authority = "S" + secrets.token_hex(16)
        SandboxPayment.objects.create(
            authority=authority, amount=int(amount), description=description[:200], callback_url=callback_url
        )
        return PaymentStart(authority=authority, payment_url=reverse("agents:payment_sandbox", args=[authority]))

    def verify(self, *, authority: str, amount: int) -> VerifyResult:
        with transaction.atomic():
            payment = SandboxPayment.objects.select_for_update().filter(authority=authority).first()
            if payment is None:
                return VerifyResult(status="failed", code=-54, message="unknown authority")
            if payment.outcome == SandboxPayment.Outcome.CANCELLED:
                return VerifyResult(status="cancelled", code=-51, message="cancelled by payer")
            if payment.outcome != SandboxPayment.Outcome.PAID:
                return VerifyResult(status="failed", code=-51, message="payment failed")
            if payment.amount != int(amount):
                return VerifyResult(status="failed", code=-50, message="amount mismatch")
            code = 101 if payment.verified_at else 100
            if payment.verified_at is None:
                payment.verified_at = timezone.now()
                payment.save(update_fields=["verified_at"])
            return VerifyResult(status="paid", ref_id=payment.ref_id, card_pan="6037******1234", code=code)


def sandbox_payment_get(authority: str) -> SandboxPayment | None:
    return SandboxPayment.objects.filter(authority=authority).first()


def sandbox_payment_decide(*, authority: str, outcome: str) -> SandboxPayment:
    """The payer's choice on the sandbox page; decided once, like a real bank page."""
    if outcome not in (SandboxPayment.Outcome.PAID, SandboxPayment.Outcome.FAILED, SandboxPayment.Outcome.CANCELLED):
        raise GatewayError(f"Unknown sandbox outcome {outcome!r}")
    with transaction.atomic():
        payment = SandboxPayment.objects.select_for_update().filter(authority=authority).first()
        if payment is None:
            raise GatewayError("Unknown sandbox authority")
        if payment.outcome == SandboxPayment.Outcome.PENDING:
            payment.outcome = outcome
            if outcome == SandboxPayment.Outcome.PAID:
                payment.ref_id = str(secrets.randbelow(9 * 10**9) + 10**9)
            payment.save(update_fields=["outcome", "ref_id"])
    return payment


def sandbox_callback_url(payment: SandboxPayment) -> str:
    """Where the sandbox page sends the payer back, shaped like Zarinpal's callback."""
    status = "OK" if payment.outcome == SandboxPayment.Outcome.PAID else "NOK"
    separator = "&" if "?" in payment.callback_url else "?"
    return f"{payment.callback_url}{separator}Authority={payment.authority}&Status={status}"
