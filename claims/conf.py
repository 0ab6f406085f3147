"""Tunables of the claims app, read at call time so tests can override settings.

Each value and its one default live in bimemall/settings/base.py (read from the environment).
"""

from decimal import Decimal

from django.conf import settings


def authority_limits() -> dict[str, int]:
    """The highest payout each level may approve; above `supervision` → technical council.

    [001] names the levels (claims office, supervision office, technical council), not the
    amounts: the amounts are settings."""
    return dict(settings.CLAIM_AUTHORITY_LIMITS)


def payment_days() -> int:
    """[001] payment is due within four weeks of complete documents."""
    return settings.CLAIM_PAYMENT_DAYS


def electronics_deductible_percent() -> Decimal:
    """[003] says "after the deductible" without a figure; the insurer's tariff decides."""
    return Decimal(str(settings.CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT))
