"""Tunables of the agents app, read at call time so tests can override settings.

Each value and its one default live in bimemall/settings/base.py (read from the environment).
"""

import datetime as dt

from django.conf import settings


def trial_days() -> int:
    return settings.AGENT_TRIAL_DAYS


def expiry_warning_days() -> int:
    """How many days before the end of coverage the agent is warned."""
    return settings.AGENT_EXPIRY_WARNING_DAYS


def expired_notice_window_days() -> int:
    """An expiry older than this is not announced (e.g. on the first run after a deploy)."""
    return settings.AGENT_EXPIRED_NOTICE_WINDOW_DAYS


def payment_gateway() -> str:
    return settings.PAYMENT_GATEWAY


def zarinpal_merchant_id() -> str:
    return settings.ZARINPAL_MERCHANT_ID


def zarinpal_sandbox() -> bool:
    """Use sandbox.zarinpal.com instead of payment.zarinpal.com (a test merchant)."""
    return settings.ZARINPAL_SANDBOX


def zarinpal_timeout() -> tuple[float, float]:
    # Connect and read timeouts. No lock is held meanwhile, but the invoice stays claimed
    # (payment_verify_claim_lifetime must stay well above their sum).
    return settings.ZARINPAL_TIMEOUT


def payment_verify_claim_lifetime() -> dt.timedelta:
    """How long one verify keeps an invoice to itself before another caller may take over.

    Far above the gateway's connect + read timeouts (13 s for Zarinpal), so a live verify
    is never overtaken; a claim this old belonged to a worker that died mid-call.
    """
    return dt.timedelta(seconds=settings.PAYMENT_VERIFY_CLAIM_SECONDS)


def sandbox_enabled() -> bool:
    """The sandbox gateway hands out subscriptions for free: production must turn it off."""
    return settings.PAYMENT_SANDBOX_ENABLED


def payment_reconcile_after() -> dt.timedelta:
    """How old a pending payment must be before the reconcile job asks the gateway about it.

    A payer may still be on the bank page (waiting for a one-time password, say) for a
    while; verifying before they finish would record a payment they are about to make as
    failed. The bank page times out well before this.
    """
    return dt.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)


def payment_pending_lifetime() -> dt.timedelta:
    """A payment still unverified after this is expired: the gateway returns an unverified
    payment to the payer by itself, so nothing is lost by giving up on it."""
    return dt.timedelta(hours=settings.PAYMENT_PENDING_LIFETIME_HOURS)


def payment_reconcile_budget_seconds() -> int:
    """Stop starting new verifies after this long, well inside the task's soft time limit
    (each verify may wait for the gateway's full timeout); the next run goes on."""
    return settings.PAYMENT_RECONCILE_BUDGET_SECONDS
