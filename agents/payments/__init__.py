"""Payment gateways behind one small interface (درگاه پرداخت).

`get_gateway(name)` returns an adapter with `request(...)` and `verify(...)`. The
merchant-side bookkeeping (Invoice, extending the subscription, idempotency) lives in
`agents.services`, never in an adapter, so every gateway gets the same guarantees.
"""

from agents.payments.base import GatewayError, PaymentGateway, PaymentStart, VerifyResult


def get_gateway(name: str | None = None) -> PaymentGateway:
    from agents import conf
    from agents.payments.sandbox import SandboxGateway
    from agents.payments.zarinpal import ZarinpalGateway

    name = name or conf.payment_gateway()
    if name == SandboxGateway.name and not conf.sandbox_enabled():
        raise GatewayError("The sandbox gateway is disabled (PAYMENT_SANDBOX_ENABLED)")
    gateways = {SandboxGateway.name: SandboxGateway, ZarinpalGateway.name: ZarinpalGateway}
    try:
        return gateways[name]()
    except KeyError:
        raise GatewayError(f"Unknown payment gateway {name!r}") from None


__all__ = ["GatewayError", "PaymentGateway", "PaymentStart", "VerifyResult", "get_gateway"]
