"""Zarinpal (زرین‌پال) REST API v4.

request.json → `authority` → the payer goes to StartPay/<authority> → Zarinpal sends
them back to our callback with `Authority` and `Status` → verify.json with the amount
from *our* invoice. Code 100 is a fresh success, 101 a payment already verified; any
other code means not paid, and only the codes that say so about this payment are final
(-50 amounts differ, -51 payment failed, -53 not our session, -54 unknown authority).

Everything else about a verify is retryable and raises GatewayError, which leaves the
invoice pending for "check again" and the reconcile job: an HTTP 5xx or 429 whatever its
body says, timeouts and connection errors, a body that is not the documented JSON, and
error codes about us or them rather than the payment (-9 validation, -10/-11 terminal,
-12 too many attempts, -52 their internal error, ...). Recording those as failed would
drop a payment the payer may well have made.
"""

import logging

import requests

from agents import conf
from agents.payments.base import GatewayError, PaymentStart, VerifyResult

logger = logging.getLogger(__name__)

CODE_SUCCESS = 100
CODE_ALREADY_VERIFIED = 101
# Verify codes that settle the payment as not made; any other code is retried.
FINAL_FAILURE_CODES = frozenset({-50, -51, -53, -54})


class ZarinpalGateway:
    name = "zarinpal"

    def __init__(self, *, merchant_id: str | None = None, sandbox: bool | None = None):
        self.merchant_id = merchant_id if merchant_id is not None else conf.zarinpal_merchant_id()
        use_sandbox = conf.zarinpal_sandbox() if sandbox is None else sandbox
        host = "https://sandbox.zarinpal.com" if use_sandbox else "https://payment.zarinpal.com"
        self.request_url = f"{host}/pg/v4/payment/request.json"
        self.verify_url = f"{host}/pg/v4/payment/verify.json"
        self.start_pay_url = f"{host}/pg/StartPay/"

    def request(self, *, amount: int, description: str, callback_url: str, mobile: str, order_id: str) -> PaymentStart:
        if not self.merchant_id:
            raise GatewayError("ZARINPAL_MERCHANT_ID is not set")
        body = {
            "merchant_id": self.merchant_id,
            "amount": int(amount),
            "currency": "IRR",
            "description": description,
            "callback_url": callback_url,
            "metadata": {"mobile": mobile, "order_id": order_id},
        }
        data = self._post(self.request_url, body)
        code = data.get("code")
        authority = data.get("authority")
        if code != CODE_SUCCESS or not authority:
            raise GatewayError(f"Zarinpal refused the payment request (code {code})")
        return PaymentStart(authority=authority, payment_url=self.start_pay_url + authority)

    def verify(self, *, authority: str, amount: int) -> VerifyResult:
        body = {"merchant_id": self.merchant_id, "amount": int(amount), "authority": authority}
        data = self._post(self.verify_url, body)
        code = data.get("code")
        if code in (CODE_SUCCESS, CODE_ALREADY_VERIFIED):
            return VerifyResult(
                status="paid",
                ref_id=str(data.get("ref_id") or ""),
                card_pan=str(data.get("card_pan") or "")[:20],
                code=code,
                message=str(data.get("message") or ""),
            )
        if code in FINAL_FAILURE_CODES:
            return VerifyResult(status="failed", code=code, message=str(data.get("message") or ""))
        raise GatewayError(f"Zarinpal answered verify with code {code}, which does not settle the payment")

    def _post(self, url: str, body: dict) -> dict:
        """POST JSON and return the `data` object; errors come back as a code, not an exception.

        Zarinpal answers errors with `data: []` and `errors: {code, message}`, often with
        an HTTP 4xx; both shapes are folded into one dict with a `code`. A 5xx or 429 is a
        GatewayError whatever its body: the server is unwell or busy, and any code in the
        body says nothing final about the payment.
        """
        try:
            response = requests.post(  # nosec B113  # timeout= is passed below
                url, json=body, headers={"Accept": "application/json"}, timeout=conf.zarinpal_timeout()
            )
        except requests.RequestException as exc:
            raise GatewayError(f"Zarinpal unreachable: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise GatewayError(f"Zarinpal answered HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            raise GatewayError(f"Zarinpal answered HTTP {response.status_code} without JSON") from None
        data = payload.get("data") if isinstance(payload, dict) else None
        if isinstance(data, dict) and data.get("code") is not None:
            return data
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if isinstance(errors, dict) and errors.get("code") is not None:
            logger.info("Zarinpal error %s: %s", errors.get("code"), errors.get("message"))
            return {"code": errors.get("code"), "message": errors.get("message", "")}
        raise GatewayError(f"Zarinpal answered HTTP {response.status_code} with an unknown shape")
