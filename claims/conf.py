"""Tunables of the claims app, read at call time so tests can override settings."""

from decimal import Decimal

from django.conf import settings

# [001] the claims office approves within its authority, above it the supervision office,
# above that the technical council. The document names the levels, not the amounts: these
# defaults (rial) are ours, and staff set the real ones in settings.
DEFAULT_AUTHORITY_LIMITS = {
    "office": 1_000_000_000,
    "supervision": 10_000_000_000,
}


def authority_limits() -> dict[str, int]:
    """The highest payout each level may approve; above `supervision` → technical council."""
    return {**DEFAULT_AUTHORITY_LIMITS, **getattr(settings, "CLAIM_AUTHORITY_LIMITS", {})}


def payment_days() -> int:
    """[001] payment is due within four weeks of complete documents."""
    return int(getattr(settings, "CLAIM_PAYMENT_DAYS", 28))


def electronics_deductible_percent() -> Decimal:
    """[003] says "after the deductible" without a figure; the insurer's tariff decides."""
    return Decimal(str(getattr(settings, "CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT", 10)))
