"""Demo rows for `make run`: a floating fire policy whose last month's stock is not
declared yet (reminded before the 10th, flagged after). Idempotent."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from declarations.models import FloatingPolicy
from policies.demo import demo_fire_policy

FLOATING_NUMBER = "DEMO-FLOAT-1"


def load(stdout) -> None:
    with transaction.atomic():
        policy = demo_fire_policy(number=FLOATING_NUMBER, starts_on=timezone.localdate() - dt.timedelta(days=100))
        FloatingPolicy.objects.get_or_create(policy=policy, defaults={"max_stock_value": 30_000_000_000})
    stdout.write(f"Declarations demo: floating policy {policy.number} has not declared last month's stock.")
