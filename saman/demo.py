"""Demo rows for `make run`: a fire policy due for its renewal invitation, and one issued
last solar month so the nightly Saman export has something to write.

Idempotent (found by policy number). Beat sends the invitation at the next 09:30 Tehran
(the schedule's time); to see it at once, set the "policies: renewal reminders" crontab
to every minute in the admin (django_celery_beat only loads crontab rows whose hour is
within two hours of now, so a "missed" 09:30 is not caught up at another time of day).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.jalali import solar_month_bounds
from policies.demo import demo_fire_policy
from policies.models import Policy
from saman.selectors import TEHRAN, saman_last_closed_month

RENEWAL_NUMBER = "DEMO-RENEW-1"
LAST_MONTH_NUMBER = "DEMO-SAMAN-1"


def load(stdout) -> None:
    with transaction.atomic():
        today = timezone.localdate()
        renewal = demo_fire_policy(number=RENEWAL_NUMBER, starts_on=today - dt.timedelta(days=345))
        year, month = saman_last_closed_month()
        first, _following = solar_month_bounds(year, month)
        last_month = demo_fire_policy(number=LAST_MONTH_NUMBER, starts_on=first + dt.timedelta(days=3))
        if last_month.issued_at and last_month.issued_at.astimezone(TEHRAN).date() >= _following:
            # Recorded today for a start last month: its issue time belongs to last month.
            Policy.objects.filter(pk=last_month.pk).update(
                issued_at=dt.datetime.combine(first + dt.timedelta(days=3), dt.time(10), tzinfo=TEHRAN)
            )
    stdout.write(
        f"Saman demo: policy {renewal.number} ends {renewal.ends_on} (renewal invitation due), "
        f"policy {last_month.number} issued in {year}/{month:02d} (for the nightly export)."
    )
