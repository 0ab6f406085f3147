"""Marketplace tunables, overridable from Django settings."""

from django.conf import settings


def request_lifetime_days() -> int:
    """An open request expires after this many days without an accepted response."""
    return getattr(settings, "REQUEST_LIFETIME_DAYS", 7)


def lead_reminder_hours() -> int:
    """Agents are reminded once of a lead still unanswered after this many hours."""
    return getattr(settings, "LEAD_REMINDER_HOURS", 6)


def renewal_head_start_hours() -> int:
    """A renewal request goes first to the agent who issued the policy; the other agents of
    the chosen insurers receive it after this many hours (issue 14 point 6)."""
    return getattr(settings, "RENEWAL_HEAD_START_HOURS", 24)
