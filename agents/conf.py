"""Tunables of the agents app, read at call time so tests can override settings."""

from django.conf import settings


def trial_days() -> int:
    return int(getattr(settings, "AGENT_TRIAL_DAYS", 7))


def expiry_warning_days() -> int:
    """How many days before the end of coverage the agent is warned."""
    return int(getattr(settings, "AGENT_EXPIRY_WARNING_DAYS", 3))


def expired_notice_window_days() -> int:
    """An expiry older than this is not announced (e.g. on the first run after a deploy)."""
    return int(getattr(settings, "AGENT_EXPIRED_NOTICE_WINDOW_DAYS", 7))


def payment_gateway() -> str:
    return getattr(settings, "PAYMENT_GATEWAY", "sandbox")


def zarinpal_merchant_id() -> str:
    return getattr(settings, "ZARINPAL_MERCHANT_ID", "")


def zarinpal_sandbox() -> bool:
    """Use sandbox.zarinpal.com instead of payment.zarinpal.com (a test merchant)."""
    return bool(getattr(settings, "ZARINPAL_SANDBOX", False))


def zarinpal_timeout() -> tuple[float, float]:
    # Connect and read timeouts; the verify call holds the invoice row lock meanwhile.
    return getattr(settings, "ZARINPAL_TIMEOUT", (3.0, 10.0))


def sandbox_enabled() -> bool:
    """The sandbox gateway hands out subscriptions for free: production must turn it off."""
    return bool(getattr(settings, "PAYMENT_SANDBOX_ENABLED", True))
