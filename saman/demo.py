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

from accounts.models import User
from agents.models import Agent, Subscription, TermsAcceptance
from agents.selectors import terms_current
from core.jalali import solar_month_bounds
from insurers.models import Insurer, Province
from policies.models import CustomerLink, Policy
from policies.services import policy_record
from saman.selectors import TEHRAN, saman_last_closed_month

DEMO_AGENT_MOBILE = "09122222222"
DEMO_CUSTOMER_MOBILE = "09121111111"  # created by load_demo_data
RENEWAL_NUMBER = "DEMO-RENEW-1"
LAST_MONTH_NUMBER = "DEMO-SAMAN-1"


def demo_agent() -> Agent:
    user, _ = User.objects.get_or_create(
        mobile=DEMO_AGENT_MOBILE,
        defaults={"first_name": "رضا", "last_name": "نماینده نمونه", "mobile_verified_at": timezone.now()},
    )
    agent, _ = Agent.objects.get_or_create(
        user=user,
        defaults={
            "insurer": Insurer.objects.get(code="iran"),
            "agency_code": "9001",
            "agency_name": "نمایندگی نمونه بیمه مال",
            "province": Province.objects.get(code="tehran"),
            "city": "تهران",
            "postal_address": "تهران، خیابان ولیعصر، پلاک ۱",
            "postal_code": "1234567890",
            "office_phone": "02188776655",
            "status": Agent.Status.VERIFIED,
            "licence_number": "DEMO-LIC",
            "licence_expires_on": timezone.localdate() + dt.timedelta(days=365),
        },
    )
    return agent


def _demo_relationship(agent: Agent) -> None:
    """What recording by mobile needs since issue 13 point 1: the agent's gateway open (a
    subscription in force) and the customer's confirmed link to this agent."""
    today = timezone.localdate()
    terms = terms_current()
    if terms is not None and not TermsAcceptance.objects.filter(agent=agent, terms=terms).exists():
        TermsAcceptance.objects.create(agent=agent, terms=terms, plan=agent.chosen_plan, ip="127.0.0.1")
    if not agent.subscriptions.filter(starts_on__lte=today, ends_on__gte=today).exists():
        Subscription.objects.create(
            agent=agent, kind=Subscription.Kind.TRIAL, starts_on=today, ends_on=today + dt.timedelta(days=6)
        )
    customer = User.objects.get(mobile=DEMO_CUSTOMER_MOBILE)
    now = timezone.now()
    CustomerLink.objects.get_or_create(
        agent=agent,
        mobile=customer.mobile,
        status=CustomerLink.Status.CONFIRMED,
        defaults={
            "customer": customer,
            "created_at": now,
            "expires_at": now + dt.timedelta(days=7),
            "decided_at": now,
            "confirmed_by": CustomerLink.ConfirmedBy.ACCOUNT,
        },
    )


def demo_fire_policy(*, number: str, starts_on: dt.date, length_days: int = 365) -> Policy:
    existing = Policy.objects.filter(number=number).first()
    if existing:
        return existing
    agent = demo_agent()
    _demo_relationship(agent)
    return policy_record(
        user=agent.user,
        line="fire",
        insurer=agent.insurer.code,
        policy_number=number,
        customer_mobile=DEMO_CUSTOMER_MOBILE,
        issued_on=starts_on,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=length_days),
        premium=12_000_000,
        sum_insured=800_000_000,
        params={"building_type": "residential"},
        paid_on=starts_on,
    )


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
