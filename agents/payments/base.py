from dataclasses import dataclass
from typing import Protocol


class GatewayError(Exception):
    """The gateway could not be reached or refused the request; nothing was charged."""


@dataclass(frozen=True)
class PaymentStart:
    authority: str
    payment_url: str


@dataclass(frozen=True)
class VerifyResult:
    """The gateway's word on one payment.

    `status` is paid | failed | cancelled. `paid` includes "already verified" (Zarinpal
    101), so a retry after a crash between the gateway's answer and our commit still
    completes the invoice.
    """

    status: str
    ref_id: str = ""
    card_pan: str = ""
    code: int | None = None
    message: str = ""

    @property
    def paid(self) -> bool:
        return self.status == "paid"


class PaymentGateway(Protocol):
    name: str

    def request(self, *, amount: int, description: str, callback_url: str, mobile: str, order_id: str) -> PaymentStart:
        """Open a payment of `amount` rial; the payer is then sent to `payment_url`."""

    def verify(self, *, authority: str, amount: int) -> VerifyResult:
        """Confirm a payment, stating the amount we expect; a different amount is not paid."""
