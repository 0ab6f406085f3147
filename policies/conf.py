"""Tunables of the policies app, read at call time so tests can override settings.

Each value and its one default live in bimemall/settings/base.py (read from the environment).
"""

from django.conf import settings


def capital_thresholds() -> dict[str, int]:
    """[001] review by capital (rial): `monthly`, `central` and `daily` thresholds."""
    return dict(settings.POLICY_CAPITAL_THRESHOLDS)


def authorisation_capital() -> int:
    """A fire policy above this capital (rial) needs the supervision office's authorisation
    before issue [001]: the branch's own authority ends at 10 billion rial."""
    return settings.POLICY_AUTHORISATION_CAPITAL


def renewal_reminder_batch() -> int:
    """At most this many reminders per run; the next run picks up the rest."""
    return settings.POLICY_RENEWAL_REMINDER_BATCH
