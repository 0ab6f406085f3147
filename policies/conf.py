"""Tunables of the policies app, read at call time so tests can override settings."""

from django.conf import settings

# [001] review by capital (rial): over 10 billion a monthly list for the supervision
# office, over 40 billion also to Central Insurance, over 63 billion a daily review.
DEFAULT_CAPITAL_THRESHOLDS = {
    "monthly": 10_000_000_000,
    "central": 40_000_000_000,
    "daily": 63_000_000_000,
}


def capital_thresholds() -> dict[str, int]:
    return {**DEFAULT_CAPITAL_THRESHOLDS, **getattr(settings, "POLICY_CAPITAL_THRESHOLDS", {})}


def renewal_reminder_batch() -> int:
    """At most this many reminders per run; the next run picks up the rest."""
    return int(getattr(settings, "POLICY_RENEWAL_REMINDER_BATCH", 500))
