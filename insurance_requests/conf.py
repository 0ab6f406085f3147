"""Marketplace tunables, read at call time so tests can override settings.

Each value and its one default live in bimemall/settings/base.py (read from the environment).
"""

from django.conf import settings


def request_lifetime_days() -> int:
    """An open request expires after this many days without an accepted response."""
    return settings.REQUEST_LIFETIME_DAYS


def lead_reminder_hours() -> int:
    """Agents are reminded once of a lead still unanswered after this many hours."""
    return settings.LEAD_REMINDER_HOURS


def renewal_head_start_hours() -> int:
    """A renewal request goes first to the agent who issued the policy; the other agents of
    the chosen insurers receive it after this many hours (issue 14 point 6)."""
    return settings.RENEWAL_HEAD_START_HOURS
